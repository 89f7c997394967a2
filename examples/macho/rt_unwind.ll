; std-<hash>.std.<hash>-cgu.1.rcgu.o: std::panicking::try, the way rustc
; emits it: an invoke under rust_eh_personality (so compact unwind names it
; and the function has an LSDA). Target-neutral: clang --target picks it.
; Frame pointers as clang's Darwin default: compact unwind needs them.
declare i32 @rust_eh_personality(...)
declare void @"\01__ZN3std2io5stdio6_print17h1a2b3c4d5e6f7a8bE"(ptr)

@caught = private unnamed_addr constant [8 x i8] c"caught\0A\00"

define i32 @"\01__ZN3std9panicking3try17h4d5e6f7a8b9c0d1eE"(ptr %f, ptr %data) #0 personality ptr @rust_eh_personality {
entry:
  invoke void %f(ptr %data) to label %ok unwind label %lp
ok:
  ret i32 0
lp:
  %x = landingpad { ptr, i32 } catch ptr null
  call void @"\01__ZN3std2io5stdio6_print17h1a2b3c4d5e6f7a8bE"(ptr @caught)
  ret i32 1
}

attributes #0 = { "frame-pointer"="all" }
