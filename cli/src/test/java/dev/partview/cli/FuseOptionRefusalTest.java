package dev.partview.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partview.fuse.MountException;
import java.util.List;
import org.junit.jupiter.api.Test;

class FuseOptionRefusalTest {
  static final String COULD_NOT = "partview: libfuse could not mount on /mnt: fuse_main returned 1";

  static String refusal(List<String> log, String... userOptions) {
    return FuseOptionRefusal.find(log, List.of(userOptions))
        .map(
            e -> {
              assertThat(e.reason()).isEqualTo(MountException.Reason.USAGE);
              return e.getMessage();
            })
        .orElse(null);
  }

  @Test
  void libfusesOwnRefusalsNameTheOption() {
    assertThat(refusal(List.of("fuse: unknown option `bogus'", COULD_NOT), "bogus"))
        .isEqualTo("-o bogus: not a FUSE option");
    assertThat(
            refusal(List.of("fuse: invalid parameter in option `uid=abc'", COULD_NOT), "uid=abc"))
        .isEqualTo("-o uid=abc: not a valid value");
    assertThat(
            refusal(
                List.of(
                    "fuse: 'allow_other' and 'allow_root' options are mutually exclusive",
                    COULD_NOT),
                "allow_other",
                "allow_root"))
        .isEqualTo(
            "-o allow_other,allow_root: 'allow_other' and 'allow_root' options are mutually"
                + " exclusive");
  }

  @Test
  void theKernelsEinvalIsTheUsersOptionsOnlyWhenTheyReachTheKernel() {
    List<String> log = List.of("fuse: mount failed: Invalid argument", COULD_NOT);
    assertThat(refusal(log, "ro", "context=x"))
        .as("only the options that reach the kernel are named")
        .isEqualTo("-o context=x: refused by the kernel (Invalid argument)");
    assertThat(refusal(log))
        .as("no user options: not bad input, the daemon's lines stand")
        .isNull();
    assertThat(refusal(log, "debug", "ro"))
        .as("options the kernel never gets as mount data: some other cause")
        .isNull();
    assertThat(
            refusal(
                List.of("fusermount: mount failed: Invalid argument", COULD_NOT), "blksize=4096"))
        .isEqualTo("-o blksize=4096: refused by the kernel (Invalid argument)");
  }

  @Test
  void fusermountsRefusalOfAllowOtherForAUserIsOneLine() {
    assertThat(
            refusal(
                List.of(
                    "fusermount: option allow_other only allowed if 'user_allow_other' is set in"
                        + " /etc/fuse.conf",
                    COULD_NOT),
                "allow_other"))
        .isEqualTo("-o allow_other only allowed if 'user_allow_other' is set in /etc/fuse.conf");
  }

  @Test
  void otherFailuresAreNotUsageErrors() {
    assertThat(refusal(List.of("fuse: mount failed: Permission denied", COULD_NOT), "allow_other"))
        .isNull();
    assertThat(refusal(List.of("fuse: failed to open /dev/fuse: No such file or directory")))
        .isNull();
    assertThat(refusal(List.of("partview: serving /img on /mnt (read-only), pid 1"), "ro"))
        .isNull();
  }
}
