/* fakedll.dll: what the plugins import (through fakedll.lib, made by
 * llvm-dlltool-19 from fakedll.def): two functions and a datum. */
int fake_calls;
__declspec(dllexport) int fake_add(int a, int b) { fake_calls++; return a + b; }
__declspec(dllexport) int fake_mul(int a, int b) { fake_calls++; return a * b; }
