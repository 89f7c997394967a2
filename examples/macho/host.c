/* The host program: calls each plugin's API. Linked, never run (no macOS
 * here): the tests compare what the linker put in it. */
typedef __UINT32_TYPE__ u32;
u32 plug1_run(u32 n), plug2_run(u32 n), plug3_run(u32 n);
const char *plug1_version(void), *plug2_version(void), *plug3_version(void);
int puts(const char *);

int main(void) {
  u32 sum = plug1_run(10) + plug2_run(20) + plug3_run(30);
  puts(plug1_version());
  puts(plug2_version());
  puts(plug3_version());
  return (int)(sum & 1);
}
