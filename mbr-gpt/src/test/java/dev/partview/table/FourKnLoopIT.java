package dev.partview.table;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.partview.testimages.IntegrationEnvironment;
import dev.partview.testimages.LoopAttachment;
import dev.partview.testimages.Tool;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 4Kn images made the way users make them: a sparse file attached with {@code losetup -b 4096},
 * partitioned through the loop device by sgdisk or sfdisk (which then see 4096-byte sectors),
 * detached, and the FILE read with no option. The sector size must come out as 4096 and every
 * partition as the tool reported it on the device.
 */
class FourKnLoopIT {
  @TempDir Path dir;

  @BeforeEach
  void environment() {
    IntegrationEnvironment.requireLoop();
    IntegrationEnvironment.requireTool("losetup");
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {21, 22, 23})
  void sgdiskOnA4kLoopDevice(long seed) throws Exception {
    IntegrationEnvironment.requireTool("sgdisk");
    Random r = new Random(seed);
    Path image = Tools.sparseFile(dir, "gpt4k-" + seed + ".img", (64L + r.nextInt(64)) << 20);
    List<SgdiskRandomLayoutIT.Entry> want;
    String diskGuid;
    try (LoopAttachment loop = LoopAttachment.attach(image, 4096)) {
      List<Integer> numbers = SgdiskRandomLayoutIT.layout(r, loop.path(), 4096);
      want = SgdiskRandomLayoutIT.report(loop.path(), numbers);
      diskGuid = SgdiskRandomLayoutIT.diskGuid(loop.path());
    }
    PartitionTable t = Tools.read(image);
    assertThat(t.sectorSize().bytes()).as(t.sectorSize().source()).isEqualTo(4096);
    assertThat(t.sectorSize().source()).contains("GPT header found at byte 4096");
    assertThat(t.diskId()).isEqualToIgnoringCase(diskGuid);
    assertThat(SgdiskRandomLayoutIT.lines(SgdiskRandomLayoutIT.entries(t)))
        .isEqualTo(SgdiskRandomLayoutIT.lines(want));
    assertThat(t.partitions().get(0).start()).isEqualTo(want.get(0).first() * 4096);
    assertThat(t.diagnostics()).isEmpty();
  }

  @Test
  void sfdiskMbrWithLogicalsOnA4kLoopDevice() throws Exception {
    // p1 primary, p2 extended to the end, p5..p7 logicals (sfdisk's default 1 MiB alignment).
    checkSfdisk4k(
        "label: dos\n,16M,83\n,,5\n,8M,83\n,12M,82\n,,7\n",
        "first EBR signature found at 4096-byte sectors");
  }

  @Test
  void sfdiskMbrPrimariesOnlyOnA4kLoopDevice() throws Exception {
    // No EBR to look at: the fill-and-alignment rule must pick 4096.
    checkSfdisk4k(
        "label: dos\n,20M,c,*\n,30M,83\n,,8e\n",
        "MBR entries end past half the image and are 1 MiB-aligned only at 4096-byte sectors");
  }

  private void checkSfdisk4k(String script, String reason) throws Exception {
    IntegrationEnvironment.requireTool("sfdisk");
    Path image = Tools.sparseFile(dir, "mbr4k.img", 96L << 20);
    JsonNode pt;
    try (LoopAttachment loop = LoopAttachment.attach(image, 4096)) {
      Tool.okWithInput(script, "sfdisk", "--no-reread", "--no-tell-kernel", "-q", loop.device());
      pt = Tool.ok("sfdisk", "--json", loop.device()).json().path("partitiontable");
    }
    assertThat(pt.path("sectorsize").asInt()).isEqualTo(4096);
    List<String> want = SfdiskRandomLayoutIT.lines(SfdiskRandomLayoutIT.reported(pt));
    PartitionTable t = Tools.read(image);
    assertThat(t.sectorSize().bytes()).as(t.sectorSize().source()).isEqualTo(4096);
    assertThat(t.sectorSize().source()).isEqualTo(reason);
    assertThat(t.diskId()).isEqualToIgnoringCase(pt.path("id").asText());
    for (Partition p : t.partitions()) {
      assertThat(p.start()).isEqualTo(p.firstLba() * 4096);
    }
    assertThat(SfdiskRandomLayoutIT.lines(SfdiskRandomLayoutIT.entries(t)))
        .as("partview vs sfdisk --json on the 4K device")
        .isEqualTo(want);
    assertThat(t.diagnostics()).isEmpty();
    // Without detection, read at 512 bytes the same table is wrong: the test can tell.
    PartitionTable at512 = Tools.read(image, ReadOptions.defaults().withSectorSize(512));
    assertThat(at512.partitions().get(0).start()).isNotEqualTo(t.partitions().get(0).start());
  }
}
