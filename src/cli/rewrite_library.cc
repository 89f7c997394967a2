#include "cli/rewrite_library.h"
#include "write/write_archive.h"

namespace slimlink {

void rewriteLibrary(const InputSet &in, const ObjectEdit &edit,
                    const std::string &outPath, TransformReport &report) {
  const Library &lib = in.libs[0];
  // One job per distinct object content: a library can hold twins.
  std::vector<RewriteJob> jobs;
  std::vector<int> jobOfContent(in.contents.size(), -1);
  for (uint32_t i = 0; i < lib.members.size(); ++i) {
    const Member &m = lib.members[i];
    if (m.kind == MemberKind::Object && jobOfContent[m.content] < 0) {
      jobOfContent[m.content] = jobs.size();
      jobs.push_back({{0, i}, &edit});
    }
  }
  std::vector<std::string> bytes = rewriteObjects(in, jobs);

  std::vector<OutputArchive> outs(1);
  OutputArchive &out = outs[0];
  out.path = outPath;
  out.kind = lib.kind;
  std::vector<uint64_t> sizeAfter;
  for (const Member &m : lib.members) {
    int job = m.kind == MemberKind::Object ? jobOfContent[m.content] : -1;
    llvm::StringRef data = job >= 0 ? llvm::StringRef(bytes[job]) : m.data;
    out.members.push_back({m.name, data});
    sizeAfter.push_back(data.size());
  }
  checkOutputsAreNotInputs({outPath}, in.libs);
  writeArchives(outs);

  report.libs.push_back({lib.path, outPath, lib.size(), out.bytesWritten,
                         lib.members.size(), out.members.size()});
  addCrates(report, lib, sizeAfter);
}

} // namespace slimlink
