package dev.partview.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class CliTest {
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Cli.newCommandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void bareCommandIsAUsageError() {
    Run r = run();
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("Missing a command");
  }

  @Test
  void unknownOptionIsAUsageErrorOnOneLinePlusHint() {
    Run r = run("--no-such-flag");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err().lines())
        .hasSizeLessThanOrEqualTo(2)
        .first()
        .asString()
        .contains("--no-such-flag");
  }

  @Test
  void versionNamesTheTool() {
    Run r = run("--version");
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("partview ");
  }
}
