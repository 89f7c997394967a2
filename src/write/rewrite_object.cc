#include "write/rewrite_object.h"
#include "formats/format.h"
#include "support/diagnostics.h"

#include "llvm/Support/Parallel.h"

namespace slimlink {

static std::string rewriteOne(const Member &m, const ObjectEdit &edit,
                              std::string &out) {
  const ObjectFormat *format = formatOf(m);
  if (!format)
    return "cannot rewrite: no edge for this object format";
  return format->rewrite(m, edit, out);
}

std::vector<std::string> rewriteObjects(const InputSet &in,
                                        const std::vector<RewriteJob> &jobs) {
  std::vector<std::string> out(jobs.size()), errors(jobs.size());
  llvm::parallelFor(0, jobs.size(), [&](size_t k) {
    errors[k] = rewriteOne(in.at(jobs[k].member), *jobs[k].edit, out[k]);
  });
  for (size_t k = 0; k < jobs.size(); ++k)
    if (!errors[k].empty()) {
      const Member &m = in.at(jobs[k].member);
      throw InputError(in.libs[jobs[k].member.lib].path, m.name, m.offset,
                       errors[k]);
    }
  return out;
}

} // namespace slimlink
