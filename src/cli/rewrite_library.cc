#include "cli/rewrite_library.h"
#include "write/write_archive.h"

#include <map>

namespace slimlink {

std::vector<MemberPlan> sameEditForAll(const Library &lib,
                                       const ObjectEdit &edit) {
  return std::vector<MemberPlan>(lib.members.size(), {true, &edit});
}

void rewriteLibrary(const InputSet &in, const std::vector<MemberPlan> &plans,
                    const std::string &outPath, TransformReport &report) {
  const Library &lib = in.libs[0];
  // One job per distinct (bytes, edit): a library can hold twins.
  std::vector<RewriteJob> jobs;
  std::map<std::pair<uint32_t, const ObjectEdit *>, int> jobOf;
  std::vector<int> job(lib.members.size(), -1);
  for (uint32_t i = 0; i < lib.members.size(); ++i) {
    const Member &m = lib.members[i];
    const ObjectEdit *edit = plans[i].edit;
    if (!plans[i].keep || m.kind != MemberKind::Object || !edit || edit->empty())
      continue;
    auto [it, fresh] = jobOf.try_emplace({m.content, edit}, jobs.size());
    if (fresh)
      jobs.push_back({{0, i}, edit});
    job[i] = it->second;
  }
  std::vector<std::string> bytes = rewriteObjects(in, jobs);

  std::vector<OutputArchive> outs(1);
  OutputArchive &out = outs[0];
  out.path = outPath;
  out.kind = lib.kind;
  std::vector<uint64_t> sizeAfter;
  for (uint32_t i = 0; i < lib.members.size(); ++i) {
    const Member &m = lib.members[i];
    if (!plans[i].keep) {
      sizeAfter.push_back(0);
      continue;
    }
    llvm::StringRef data = job[i] >= 0 ? llvm::StringRef(bytes[job[i]]) : m.data;
    out.members.push_back({m.name, data});
    sizeAfter.push_back(data.size());
  }
  checkOutputsAreNotInputs({outPath});
  writeArchives(outs);

  report.libs.push_back({lib.path, outPath, lib.size(), out.bytesWritten,
                         lib.members.size(), out.members.size()});
  addCrates(report, lib, sizeAfter);
}

} // namespace slimlink
