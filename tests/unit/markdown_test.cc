// --markdown's pieces: names as code spans that survive GFM tables (pipes,
// backticks, HTML-looking '<...>'), digits grouped, changes with exact bytes.
#include "report/markdown.h"

#include <gtest/gtest.h>

using namespace slimlink;

TEST(Markdown, CodeSpans) {
  EXPECT_EQ(markdownCode("std"), "`std`");
  EXPECT_EQ(markdownCode("<T as core::fmt::Debug>::fmt"),
            "`<T as core::fmt::Debug>::fmt`")
      << "in a code span, '<...>' is no HTML tag";
  EXPECT_EQ(markdownCode("operator|(S, S)"), "`operator\\|(S, S)`")
      << "a '|' would end the table cell";
  EXPECT_EQ(markdownCode("a`b"), "`` a`b ``");
  EXPECT_EQ(markdownCode("x\ny"), "`x y`");
}

TEST(Markdown, Bytes) {
  EXPECT_EQ(groupedDigits(0), "0");
  EXPECT_EQ(groupedDigits(999), "999");
  EXPECT_EQ(groupedDigits(1000), "1,000");
  EXPECT_EQ(groupedDigits(1234567), "1,234,567");
  EXPECT_EQ(markdownChange(0), "0");
  EXPECT_EQ(markdownChange(999), "+999 B");
  EXPECT_EQ(markdownChange(-10), "-10 B");
  EXPECT_EQ(markdownChange(12345), "+12.3 kB (+12,345 B)");
  EXPECT_EQ(markdownChange(-2500000), "-2.5 MB (-2,500,000 B)");
}

TEST(Markdown, Table) {
  MarkdownTable t({"name", ">size"});
  t.row({"`a`", "1 B"});
  t.row({"`b`"});
  std::string s;
  llvm::raw_string_ostream os(s);
  t.print(os);
  EXPECT_EQ(s, "| name | size |\n| :--- | ---: |\n| `a` | 1 B |\n| `b` |  |\n");
}
