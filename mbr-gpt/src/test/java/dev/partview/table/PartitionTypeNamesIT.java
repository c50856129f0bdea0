package dev.partview.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.partview.testimages.IntegrationEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The catalogue against the sfdisk installed here: every type it names, named the same way. */
class PartitionTypeNamesIT {

  @Test
  void everyMbrCodeSfdiskKnowsHasItsName() throws Exception {
    IntegrationEnvironment.requireTool("sfdisk");
    Map<String, String> sfdisk = sfdiskTypes("dos");
    assertThat(sfdisk).hasSizeGreaterThan(90);
    Map<String, String> ours = new LinkedHashMap<>();
    sfdisk.keySet().forEach(k -> ours.put(k, PartitionTypeNames.mbr(Integer.parseInt(k, 16))));
    assertThat(ours).isEqualTo(sfdisk);
  }

  @Test
  void everyGptTypeSfdiskKnowsHasItsName() throws Exception {
    IntegrationEnvironment.requireTool("sfdisk");
    Map<String, String> sfdisk = sfdiskTypes("gpt");
    assertThat(sfdisk).hasSizeGreaterThan(150);
    Map<String, String> ours = new LinkedHashMap<>();
    sfdisk.keySet().forEach(k -> ours.put(k, PartitionTypeNames.gpt(UUID.fromString(k))));
    assertThat(ours).isEqualTo(sfdisk);
  }

  /** {@code sfdisk --label L -T}: a header, a blank line, then "CODE NAME" lines. */
  private static Map<String, String> sfdiskTypes(String label)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("sfdisk", "--label", label, "-T").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    Map<String, String> types = new LinkedHashMap<>();
    out.lines()
        .skip(2)
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .forEach(
            l -> {
              String[] kv = l.split("\\s+", 2);
              types.put(kv[0].toLowerCase(java.util.Locale.ROOT), kv[1]);
            });
    return types;
  }
}
