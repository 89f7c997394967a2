"""slimlink_shrink: Rust staticlibs in, slim ones out, as a CcInfo.

    load("@slimlink//bazel:defs.bzl", "slimlink_shrink")

    slimlink_shrink(
        name = "rust",
        libs = [":alpha", ":beta"],        # cc_import/cc_library targets or .a files
        slimlink = "//tools:slimlink",     # a prebuilt file or a binary target
    )
    cc_binary(name = "app", srcs = ["app.c"], deps = [":rust"])

One action runs `slimlink shrink|dedup LIBS -o DIR`; every input is declared,
and so is every output, up front: DIR/<basename of each library> and
DIR/libcommon.a, which is what slimlink writes. shrink also writes
libcommon.names, the map of shortened names; it is not declared (it is
absent when no name was shortened), so a sandboxed or remote run drops it.
Same inputs, same bytes out: the action is cacheable locally and remotely.
"""

load("@bazel_tools//tools/cpp:toolchain_utils.bzl", "find_cpp_toolchain")

# What Rust's std needs from the C library when linked into a C host
# (glibc 2.34+ has pthread and dl in libc; naming them is harmless).
_STD_LINKOPTS = ["-lpthread", "-ldl", "-lm"]

def _static_libraries(target):
    """The .a files a libs entry stands for, in its own link order."""
    if CcInfo not in target:
        return [f for f in target[DefaultInfo].files.to_list() if f.extension == "a"]
    found = []
    for linker_input in target[CcInfo].linking_context.linker_inputs.to_list():
        for library in linker_input.libraries:
            archive = library.static_library or library.pic_static_library
            if archive and archive not in found:
                found.append(archive)
    return found

def _slimlink_shrink_impl(ctx):
    inputs = []
    for target in ctx.attr.libs:
        for archive in _static_libraries(target):
            if archive not in inputs:
                inputs.append(archive)
    if not inputs:
        fail("slimlink_shrink: no static library in libs")

    common = "libcommon.a"
    names = [f.basename for f in inputs]
    for i, name in enumerate(names):
        if name == common or name in names[:i]:
            fail("slimlink_shrink: two inputs named %s, or one named like the common library; " % name +
                 "slimlink writes each to DIR/<its name>")
    outputs = [ctx.actions.declare_file("%s/%s" % (ctx.label.name, n)) for n in names + [common]]

    args = ctx.actions.args()
    args.add(ctx.attr.mode)
    args.add("--no-progress")
    args.add_all(inputs)
    args.add("-o", outputs[0].dirname)
    tool_inputs = list(inputs)
    if ctx.file.api:
        if ctx.attr.mode != "shrink":
            fail("slimlink_shrink: api is for mode = \"shrink\"")
        args.add("--api", ctx.file.api)
        tool_inputs.append(ctx.file.api)
    if ctx.attr.api_regex:
        if ctx.attr.mode != "shrink":
            fail("slimlink_shrink: api_regex is for mode = \"shrink\"")
        args.add("--api-regex", ctx.attr.api_regex)

    ctx.actions.run(
        executable = ctx.executable.slimlink,
        arguments = [args],
        inputs = tool_inputs,
        outputs = outputs,
        mnemonic = "SlimlinkShrink",
        progress_message = "slimlink %s %s (%d libraries)" % (ctx.attr.mode, ctx.label, len(inputs)),
    )

    cc_toolchain = find_cpp_toolchain(ctx)
    features = cc_common.configure_features(
        ctx = ctx,
        cc_toolchain = cc_toolchain,
        requested_features = ctx.features,
        unsupported_features = ctx.disabled_features,
    )
    libraries = [
        cc_common.create_library_to_link(
            actions = ctx.actions,
            feature_configuration = features,
            cc_toolchain = cc_toolchain,
            static_library = archive,
        )
        for archive in outputs  # the slim libraries, then common: link order
    ]
    linker_input = cc_common.create_linker_input(
        owner = ctx.label,
        libraries = depset(libraries, order = "topological"),
        user_link_flags = depset(ctx.attr.linkopts, order = "topological"),
    )
    return [
        DefaultInfo(files = depset(outputs)),
        CcInfo(linking_context = cc_common.create_linking_context(
            linker_inputs = depset([linker_input]),
        )),
    ]

slimlink_shrink = rule(
    implementation = _slimlink_shrink_impl,
    doc = "Runs slimlink shrink (or dedup) over static libraries; links like a cc_library.",
    attrs = {
        "libs": attr.label_list(
            mandatory = True,
            allow_files = True,  # a target with no .a outputs fails below
            doc = "cc_import/cc_library targets or .a files, in link order",
        ),
        "slimlink": attr.label(
            mandatory = True,
            executable = True,
            cfg = "exec",
            allow_files = True,
            doc = "the slimlink executable: a prebuilt file or a binary target",
        ),
        "mode": attr.string(default = "shrink", values = ["shrink", "dedup"]),
        "api": attr.label(allow_single_file = True, doc = "shrink's --api file"),
        "api_regex": attr.string(doc = "shrink's --api-regex"),
        "linkopts": attr.string_list(
            default = _STD_LINKOPTS,
            doc = "what the libraries need from the system (Rust's std: pthread, dl, m)",
        ),
        "_cc_toolchain": attr.label(default = "@bazel_tools//tools/cpp:current_cc_toolchain"),
    },
    toolchains = ["@bazel_tools//tools/cpp:toolchain_type"],
    fragments = ["cpp"],
)
