/* Calls every plugin's API on the same inputs and prints the results. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

uint64_t pjson_run(const char *, size_t);
uint64_t pzip_run(const char *, size_t);
uint64_t psha_run(const char *, size_t);
uint64_t pregex_run(const char *, size_t);
uint64_t pnom_run(const char *, size_t);

int main(void) {
  const char *json = "{\"a\":[1,2,3],\"b\":{\"c\":\"text\",\"d\":[true,null,4.5]}}";
  const char *kv = "alpha=1;beta=22;gamma=333";
  printf("pjson %llu\n", (unsigned long long)pjson_run(json, strlen(json)));
  printf("pzip %llu\n", (unsigned long long)pzip_run(json, strlen(json)));
  printf("psha %llu\n", (unsigned long long)psha_run(kv, strlen(kv)));
  printf("pregex %llu\n", (unsigned long long)pregex_run(kv, strlen(kv)));
  printf("pnom %llu\n", (unsigned long long)pnom_run(kv, strlen(kv)));
  return 0;
}
