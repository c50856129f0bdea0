package dev.partview.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextTableTest {
  @Test
  void cellsFromAnImageCannotForgeLinesOrSendEscapes() {
    TextTable t = new TextTable().column("NAME", false).column("LABEL", false);
    t.row(List.of("p1", "evil\nNAME  fake\u001b[31mRED\t\u202e"));
    StringWriter s = new StringWriter();
    t.print(new PrintWriter(s, true));
    assertThat(s.toString().lines().toList())
        .containsExactly("NAME  LABEL", "p1    evil\\nNAME  fake\\x1b[31mRED\\t\\u202e");
  }

  @Test
  void printableKeepsOrdinaryTextAndDoublesBackslashes() {
    assertThat(TextTable.printable("EFI System Partition")).isEqualTo("EFI System Partition");
    assertThat(TextTable.printable("Ünïcödé 名前")).isEqualTo("Ünïcödé 名前");
    assertThat(TextTable.printable("a\\nb")).isEqualTo("a\\\\nb");
    assertThat(TextTable.printable("del\u007f")).isEqualTo("del\\x7f");
  }

  @Test
  void columnsLineUpWithWideAndCombiningCharacters() {
    TextTable t = new TextTable().column("NAME", false).column("LABEL", false).column("N", true);
    t.row(List.of("p1", "数据", "1"));
    t.row(List.of("p2", "cafe\u0301", "22")); // e + combining acute: one column
    t.row(List.of("p3", "root", "333"));
    StringWriter s = new StringWriter();
    t.print(new PrintWriter(s, true));
    assertThat(s.toString().lines().toList())
        .containsExactly(
            "NAME  LABEL    N", "p1    数据     1", "p2    cafe\u0301    22", "p3    root   333");
    assertThat(TextTable.columns("数据")).isEqualTo(4);
    assertThat(TextTable.columns("cafe\u0301")).isEqualTo(4);
    assertThat(TextTable.columns("😀")).isEqualTo(2);
  }
}
