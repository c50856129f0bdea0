package dev.partview.cli;

import static dev.partview.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CliTest {
  @Test
  void bareCommandIsAUsageError() {
    CliRun r = run();
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("Missing a command");
  }

  @Test
  void unknownOptionIsAUsageErrorOnOneLinePlusHint() {
    CliRun r = run("--no-such-flag");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err().lines())
        .hasSizeLessThanOrEqualTo(2)
        .first()
        .asString()
        .contains("--no-such-flag");
  }

  @Test
  void versionNamesTheTool() {
    CliRun r = run("--version");
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("partview ");
  }
}
