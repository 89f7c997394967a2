#include "cli/rewrite_library.h"
#include "write/write_archive.h"

#include <map>

namespace slimlink {

std::vector<MemberPlan> sameEditForAll(const Library &lib,
                                       const ObjectEdit &edit) {
  return std::vector<MemberPlan>(lib.members.size(), {true, &edit});
}

RewrittenMembers rewriteMembers(const InputSet &in,
                                const std::vector<std::vector<MemberPlan>> &plans) {
  // One job per distinct (bytes, edit): a library can hold twins, and a set
  // of libraries the same std.
  std::vector<RewriteJob> jobs;
  std::map<std::pair<uint32_t, const ObjectEdit *>, int> jobOf;
  std::vector<std::vector<int>> job(plans.size());
  for (uint32_t l = 0; l < plans.size(); ++l)
    for (uint32_t i = 0; i < plans[l].size(); ++i) {
      const Member &m = in.libs[l].members[i];
      const ObjectEdit *edit = plans[l][i].edit;
      job[l].push_back(-1);
      if (!plans[l][i].keep || m.kind != MemberKind::Object || !edit || edit->empty())
        continue;
      auto [it, fresh] = jobOf.try_emplace({m.content, edit}, jobs.size());
      if (fresh)
        jobs.push_back({{l, i}, edit});
      job[l][i] = it->second;
    }
  RewrittenMembers out;
  out.bytes = rewriteObjects(in, jobs);
  for (uint32_t l = 0; l < plans.size(); ++l) {
    auto &data = out.data.emplace_back();
    for (uint32_t i = 0; i < plans[l].size(); ++i)
      data.push_back(job[l][i] >= 0 ? llvm::StringRef(out.bytes[job[l][i]])
                                    : in.libs[l].members[i].data);
  }
  return out;
}

void rewriteLibrary(const InputSet &in, const std::vector<MemberPlan> &plans,
                    const std::string &outPath, const OutputSink &sink,
                    TransformReport &report) {
  const Library &lib = in.libs[0];
  RewrittenMembers rewritten = rewriteMembers(in, {plans});

  std::vector<OutputArchive> outs(1);
  OutputArchive &out = outs[0];
  out.path = outPath;
  out.kind = lib.kind;
  std::vector<uint64_t> sizeAfter;
  for (uint32_t i = 0; i < lib.members.size(); ++i) {
    const Member &m = lib.members[i];
    llvm::StringRef data = rewritten.data[0][i];
    sizeAfter.push_back(plans[i].keep ? data.size() : 0);
    if (plans[i].keep)
      out.members.push_back({m.name, data});
  }
  checkOutputsAreNotInputs({outPath});
  writeArchives(outs, sink);

  report.libs.push_back({lib.path, outPath, lib.size(), out.bytesWritten,
                         lib.members.size(), out.members.size()});
  addCrates(report, lib, sizeAfter);
}

} // namespace slimlink
