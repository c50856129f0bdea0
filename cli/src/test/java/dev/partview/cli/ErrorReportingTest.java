package dev.partview.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partview.table.PartitionTableException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * How a failing command reports: one line on stderr and a named exit code; the stack trace only
 * with {@code --verbose}. A throwaway subcommand, added here and never in production code, throws
 * what it is told to.
 */
class ErrorReportingTest {
  @Command(name = "fail", hidden = true, description = "Test only: throws the named failure.")
  static final class Fail implements Callable<Integer> {
    @Parameters(index = "0")
    String what;

    @Override
    public Integer call() throws Exception {
      switch (what) {
        case "io" -> throw new IOException("disk.img: read failed\nat sector 7");
        case "missing" -> throw new NoSuchFileException("/missing.img");
        case "table" ->
            throw new PartitionTableException(
                PartitionTableException.Kind.CORRUPT, "GPT header at LBA 1", 512, "bad CRC32");
        case "env" -> throw new CliException(ExitCodes.ENVIRONMENT, "/dev/fuse: not present");
        case "bug" -> throw new IllegalStateException("a bug");
        default -> {
          return ExitCodes.OK;
        }
      }
    }
  }

  static CliRun run(String... args) {
    return CliRun.run(cl -> cl.addSubcommand(new Fail()), args);
  }

  @Test
  void withoutVerboseAFailureIsOneLineAndNoStackTrace() {
    CliRun r = run("fail", "io");
    assertThat(r.code()).isEqualTo(ExitCodes.RUNTIME);
    assertThat(r.err().lines()).containsExactly("partview: disk.img: read failed at sector 7");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void verboseBeforeOrAfterTheSubcommandAddsTheStackTrace() {
    for (String[] args :
        new String[][] {
          {"--verbose", "fail", "io"}, {"fail", "--verbose", "io"}, {"-v", "fail", "io"}
        }) {
      CliRun r = run(args);
      assertThat(r.code()).isEqualTo(ExitCodes.RUNTIME);
      assertThat(r.err().lines().findFirst())
          .hasValue("partview: disk.img: read failed at sector 7");
      assertThat(r.err())
          .contains("java.io.IOException: disk.img: read failed")
          .containsPattern("(?m)^\\s+at dev\\.partview\\.cli\\.ErrorReportingTest\\$Fail\\.call");
    }
  }

  @Test
  void eachFailureHasItsNamedExitCode() {
    assertThat(run("fail", "missing").code()).isEqualTo(ExitCodes.RUNTIME);
    assertThat(run("fail", "missing").err()).isEqualTo("partview: /missing.img: no such file\n");
    assertThat(run("fail", "table").code()).isEqualTo(ExitCodes.BAD_TABLE);
    assertThat(run("fail", "table").err())
        .isEqualTo("partview: GPT header at LBA 1: bad CRC32 at offset 512\n");
    assertThat(run("fail", "env").code()).isEqualTo(ExitCodes.ENVIRONMENT);
    assertThat(run("fail", "bug").code()).isEqualTo(ExitCodes.RUNTIME);
    assertThat(run("fail", "bug").err().lines()).hasSize(1);
    assertThat(run("fail", "none").code()).isEqualTo(ExitCodes.OK);
  }

  @Test
  void aUsageErrorInASubcommandIsExitTwoWithAHintAtItsHelp() {
    CliRun r = run("fail", "io", "--no-such-flag");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err().lines().findFirst()).get().asString().contains("--no-such-flag");
    assertThat(r.err()).doesNotContain("\tat ").contains("partview fail --help");
  }

  @Test
  void hiddenSubcommandStaysOutOfTheRootHelp() {
    assertThat(run("--help").out()).doesNotContainPattern("(?m)^  fail\\b");
  }
}
