// slimlink's version: --version, the JSON reports, the man page.
#pragma once

namespace slimlink {
inline constexpr const char *kVersion = "0.1.0";
} // namespace slimlink
