package dev.partview.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.partview.table.PartitionTableException.Kind;
import dev.partview.table.io.ByteArraySource;
import dev.partview.testimages.Corruptor;
import dev.partview.testimages.DiskImageBuilder;
import dev.partview.testimages.Ebr;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Hostile and damaged inputs, each a named case. Every one must end within {@link #TIME_LIMIT}
 * having allocated less than {@link #ALLOCATION_LIMIT} while reading, with either a table or the
 * checked {@link PartitionTableException} — any RuntimeException or Error fails the case — and then
 * meet its own expectation (which diagnostic, which exception kind and offset).
 */
class HostileInputTest {
  static final Duration TIME_LIMIT = Duration.ofSeconds(5);

  /** The biggest legitimate allocation is a 4 MiB entry array; a runaway one is far beyond. */
  static final long ALLOCATION_LIMIT = 48L << 20;

  /** GPT header fields (UEFI 2.10 table 5.5), relative to the header. */
  static final int HEADER_SIZE = 12;

  static final int MY_LBA = 24;
  static final int ALTERNATE_LBA = 32;
  static final int FIRST_USABLE = 40;
  static final int LAST_USABLE = 48;
  static final int ENTRIES_LBA = 72;
  static final int ENTRY_COUNT = 80;
  static final int ENTRY_SIZE = 84;

  /** What reading gave: exactly one of the two is set. */
  record Outcome(PartitionTable table, PartitionTableException error) {
    public PartitionTable table() {
      assertThat(error).as("expected a table").isNull();
      return table;
    }

    boolean isTable() {
      return table != null;
    }

    public PartitionTableException error() {
      assertThat(table).as("expected the checked exception, got %s", table).isNull();
      return error;
    }
  }

  record Case(String name, Supplier<byte[]> image, ReadOptions options, Consumer<Outcome> then) {}

  private final List<Case> cases = new ArrayList<>();

  @TestFactory
  Stream<DynamicTest> hostileInputs() {
    defineCases();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(40);
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> run(c)));
  }

  static Outcome read(byte[] image, ReadOptions options) {
    ByteArraySource src = new ByteArraySource(image);
    return assertTimeoutPreemptively(
        TIME_LIMIT,
        () -> {
          com.sun.management.ThreadMXBean mx =
              (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
          long before = mx.getCurrentThreadAllocatedBytes();
          Outcome o;
          try {
            o = new Outcome(PartitionTableReader.read(src, options), null);
          } catch (PartitionTableException e) {
            o = new Outcome(null, e);
          }
          long allocated = mx.getCurrentThreadAllocatedBytes() - before;
          assertThat(allocated).as("bytes allocated while reading").isLessThan(ALLOCATION_LIMIT);
          return o;
        });
  }

  private static void run(Case c) {
    byte[] image = c.image().get();
    Outcome o = read(image, c.options());
    c.then().accept(o);
  }

  // ---- case definitions ------------------------------------------------------------------------

  private void hostile(String name, Supplier<byte[]> image, Consumer<Outcome> then) {
    cases.add(new Case(name, image, ReadOptions.defaults(), then));
  }

  private void hostile(
      String name, Supplier<byte[]> image, ReadOptions options, Consumer<Outcome> then) {
    cases.add(new Case(name, image, options, then));
  }

  private static Consumer<Outcome> fails(Kind kind, long offset) {
    return o -> {
      assertThat(o.error().kind()).as("kind of %s", o.error().getMessage()).isEqualTo(kind);
      assertThat(o.error().offset()).as("offset of %s", o.error().getMessage()).isEqualTo(offset);
    };
  }

  private static Consumer<Outcome> fails(Kind kind) {
    return o -> assertThat(o.error().kind()).as(o.error().getMessage()).isEqualTo(kind);
  }

  private static Consumer<Outcome> diagnosed(String fragment) {
    return o ->
        assertThat(o.table().diagnostics())
            .anySatisfy(d -> assertThat(d.message()).contains(fragment));
  }

  private static Consumer<Outcome> numbers(Integer... expected) {
    return o ->
        assertThat(o.table().partitions().stream().map(Partition::number).toList())
            .containsExactly(expected);
  }

  private static DiskImageBuilder mbr() {
    return new DiskImageBuilder().sizeBytes(4L << 20);
  }

  /** p1 primary, extended p2 at 2048, logicals in EBRs at 2048, 4096, 6144 (p5, p6, p7). */
  private static DiskImageBuilder chain3() {
    return mbr()
        .primary(1, 0x83, 64, 1000)
        .extended(2, 0x05, 2048, 6144)
        .logical(0x83, 2048, 2049, 1000)
        .logical(0x83, 4096, 4097, 1000)
        .logical(0x83, 6144, 6145, 1000);
  }

  private static DiskImageBuilder gpt() {
    return new DiskImageBuilder()
        .sizeBytes(1L << 20)
        .gpt()
        .gptPartition(1, 34, 999, "one")
        .gptPartition(2, 1000, 1999, "two");
  }

  private static byte[] corrupt(DiskImageBuilder b, Consumer<Corruptor> how) {
    byte[] image = b.toBytes();
    Corruptor c = Corruptor.of(image, b.layout());
    how.accept(c);
    return c.bytes();
  }

  /**
   * A GPT without backup whose primary header has {@code field} set to {@code value}: refused as
   * CORRUPT at that field.
   */
  private void badHeaderField(String name, int field, long value) {
    int width = field == HEADER_SIZE || field == ENTRY_COUNT || field == ENTRY_SIZE ? 4 : 8;
    hostile(
        name,
        () -> primaryHeaderField(gpt().withoutBackupGpt(), field, value, width),
        fails(Kind.CORRUPT, 512 + field));
  }

  private static byte[] primaryHeaderField(DiskImageBuilder b, int field, long value, int width) {
    return corrupt(
        b,
        c -> {
          long at = b.primaryHeaderOffset() + field;
          if (width == 8) c.setU64(at, value);
          else c.setU32(at, value);
          c.fixPrimaryHeaderCrc();
        });
  }

  /** {@link #gpt()} plus entry 3 spanning {@code first..last} as stored, CRCs made valid. */
  private static byte[] rawGptEntry3(long first, long last) {
    DiskImageBuilder b = gpt().gptPartition(3, 2000, 2001, "raw");
    return corrupt(
        b,
        c -> {
          long at = b.gptEntryOffset(3);
          c.setU64(at + 32, first).setU64(at + 40, last).fixEntryArrayCrc();
        });
  }

  private static byte[] sector0(Consumer<byte[]> fill) {
    byte[] image = new byte[1 << 20];
    image[510] = 0x55;
    image[511] = (byte) 0xAA;
    fill.accept(image);
    return image;
  }

  private static void entry(byte[] image, int at, int boot, int type, long lba, long sectors) {
    image[at] = (byte) boot;
    image[at + 4] = (byte) type;
    putU32(image, at + 8, lba);
    putU32(image, at + 12, sectors);
  }

  private static void putU32(byte[] b, int at, long v) {
    for (int i = 0; i < 4; i++) b[at + i] = (byte) (v >>> (8 * i));
  }

  private void defineCases() {
    // ---- files too short or empty
    hostile("empty file", () -> new byte[0], fails(Kind.NO_TABLE, 0));
    hostile("one byte", () -> new byte[] {0x55}, fails(Kind.NO_TABLE, 0));
    hostile(
        "511 bytes ending like an MBR",
        () -> Arrays.copyOf(mbr().primary(1, 0x83, 1, 10).toBytes(), 511),
        fails(Kind.NO_TABLE, 0));
    hostile("512 zero bytes", () -> new byte[512], fails(Kind.NO_TABLE, 510));
    hostile(
        "a lone 512-byte MBR whose partition lies beyond it",
        () -> Arrays.copyOf(mbr().primary(1, 0x83, 2048, 4096).toBytes(), 512),
        diagnosed("beyond the end of the image"));
    hostile(
        "600-byte file with a protective MBR",
        () -> Arrays.copyOf(gpt().toBytes(), 600),
        fails(Kind.CORRUPT, 446));
    hostile(
        "0x55AA and nothing else",
        () -> sector0(b -> {}),
        o -> assertThat(o.table().partitions()).isEmpty());

    // ---- MBR entries
    hostile(
        "MBR entry at LBA 2^32-1 with 2^32-1 sectors",
        () -> sector0(b -> entry(b, 446, 0, 0x83, 0xFFFF_FFFFL, 0xFFFF_FFFFL)),
        diagnosed("beyond the end of the image"));
    hostile(
        "four identical overlapping primaries",
        () ->
            sector0(
                b -> {
                  for (int s = 0; s < 4; s++) entry(b, 446 + 16 * s, 0, 0x83, 8, 100);
                }),
        o -> {
          numbers(1, 2, 3, 4).accept(o);
          diagnosed("overlap").accept(o);
        });
    hostile(
        "boot indicator 0x01 (a boot sector, not a table)",
        () -> mbr().primary(1, 0x83, 64, 100).bootIndicator(1, 0x01).toBytes(),
        fails(Kind.NO_TABLE, 446));
    hostile(
        "typed entry with 0 sectors",
        () ->
            sector0(
                b -> {
                  entry(b, 446, 0, 0x83, 64, 0);
                  entry(b, 462, 0, 0x83, 64, 100);
                }),
        o -> {
          numbers(2).accept(o);
          diagnosed("0 sectors: skipped").accept(o);
        });
    hostile(
        "type 0x00 entry with sectors",
        () -> sector0(b -> entry(b, 446, 0, 0x00, 64, 100)),
        o -> {
          numbers(1).accept(o);
          diagnosed("type 0x00 (empty)").accept(o);
        });
    hostile(
        "FAT boot sector",
        () ->
            sector0(
                b -> {
                  b[0] = (byte) 0xEB;
                  b[1] = 0x3C;
                  b[2] = (byte) 0x90;
                  b[11] = 0; // 512 bytes per sector
                  b[12] = 2;
                  b[13] = 4;
                  b[14] = 1;
                  b[16] = 2;
                  System.arraycopy("FAT16   ".getBytes(StandardCharsets.US_ASCII), 0, b, 54, 8);
                }),
        fails(Kind.NO_TABLE, 3));

    // ---- extended partitions and EBR chains
    hostile(
        "extended partition beyond the end of the image",
        () -> sector0(b -> entry(b, 446, 0, 0x05, 100_000, 1000)),
        o -> {
          diagnosed("beyond the end of the image; chain cut").accept(o);
          numbers(1).accept(o);
        });
    hostile(
        "EBR linking to itself",
        () -> corrupt(chain3(), c -> c.loopEbrChain(1, 1)),
        o -> {
          numbers(1, 2, 5, 6).accept(o);
          diagnosed("(itself), a cycle; chain cut").accept(o);
        });
    hostile(
        "EBR chain 3 -> 1 cycle",
        () -> corrupt(chain3(), c -> c.loopEbrChain(2, 0)),
        o -> {
          numbers(1, 2, 5, 6, 7).accept(o);
          diagnosed("a cycle; chain cut").accept(o);
        });
    hostile(
        "EBR chain 3 -> 2 cycle",
        () -> corrupt(chain3(), c -> c.loopEbrChain(2, 1)),
        diagnosed("link back to the EBR at LBA 4096"));
    hostile(
        "EBR link with relative start 0 (back to the first EBR)",
        () -> corrupt(chain3(), c -> c.setU32(chain3().layout().ebr(1).linkEntryOffset() + 8, 0)),
        o -> {
          numbers(1, 2, 5, 6).accept(o);
          diagnosed("a cycle").accept(o);
        });
    hostile(
        "EBR link outside the extended partition",
        () ->
            corrupt(
                chain3(), c -> c.setU32(chain3().layout().ebr(0).linkEntryOffset() + 8, 900_000)),
        o -> {
          numbers(1, 2, 5).accept(o);
          diagnosed("outside the extended partition; chain cut").accept(o);
        });
    hostile(
        "EBR without 0x55AA in the middle of the chain",
        () -> corrupt(chain3(), c -> c.setU8(chain3().layout().ebr(1).offset() + 510, 0)),
        o -> {
          numbers(1, 2, 5).accept(o);
          diagnosed("no 0x55AA signature; chain cut").accept(o);
        });
    hostile(
        "2000 logical partitions in one chain",
        () -> {
          DiskImageBuilder b = mbr().extended(1, 0x05, 64, 4100);
          for (int i = 0; i < 2000; i++) b.logical(0x83, 64 + 2L * i, 65 + 2L * i, 1);
          return b.toBytes();
        },
        o -> {
          List<Partition> ps = o.table().partitions();
          assertThat(ps).hasSize(2001);
          assertThat(ps.get(2000).number()).isEqualTo(2004);
          assertThat(ps.get(2000).firstLba()).isEqualTo(65 + 2L * 1999);
          assertThat(o.table().diagnostics()).isEmpty();
        });
    hostile(
        "chain longer than the logical cap",
        () -> {
          DiskImageBuilder b = mbr().extended(1, 0x05, 64, 200);
          for (int i = 0; i < 50; i++) b.logical(0x83, 64 + 2L * i, 65 + 2L * i, 1);
          return b.toBytes();
        },
        new ReadOptions(0, ReadOptions.DEFAULT_MAX_GPT_ENTRIES, 10),
        o -> {
          assertThat(o.table().partitions()).hasSize(11);
          diagnosed("more than 10 logical partitions; chain cut").accept(o);
        });
    hostile(
        "150 EBRs without data in a row",
        () -> {
          DiskImageBuilder b = mbr().extended(1, 0x05, 64, 400);
          for (int i = 0; i < 150; i++) b.ebr(Ebr.at(64 + 2L * i));
          return b.toBytes();
        },
        diagnosed("EBRs in a row without a logical partition; chain cut"));
    hostile(
        "EBR with four data entries (OS/2)",
        () -> {
          DiskImageBuilder b =
              mbr()
                  .extended(1, 0x05, 64, 2000)
                  .ebr(Ebr.at(64).logical(0x83, 65, 100).logical(0x83, 200, 100));
          return corrupt(
              b,
              c -> {
                for (int slot = 3; slot <= 4; slot++) {
                  long at = b.layout().ebr(0).entryOffset(slot);
                  c.setU8(at + 4, 0x83).setU32(at + 8, 100L * slot + 36).setU32(at + 12, 100);
                }
              });
        },
        numbers(1, 5, 6, 7, 8));
    hostile(
        "garbage in EBR slot 3 (outside the extended partition)",
        () -> {
          DiskImageBuilder b =
              mbr()
                  .extended(1, 0x05, 64, 2000)
                  .ebr(Ebr.at(64).logical(0x83, 65, 100).logical(0x83, 200, 100));
          return corrupt(
              b,
              c -> {
                long at = b.layout().ebr(0).entryOffset(3);
                c.setU8(at + 4, 0x83).setU32(at + 8, 3000).setU32(at + 12, 100);
              });
        },
        o -> {
          numbers(1, 5, 6).accept(o);
          diagnosed("slot 3 does not fit the extended partition").accept(o);
        });
    hostile(
        "logical start 2^32-1 sectors after its EBR",
        () ->
            corrupt(
                chain3(), c -> c.setU32(chain3().layout().ebr(0).entryOffset(1) + 8, 0xFFFF_FFFFL)),
        o -> {
          numbers(1, 2, 5, 6, 7).accept(o);
          diagnosed("p5 lies outside its extended partition").accept(o);
          diagnosed("beyond the end of the image").accept(o);
        });
    hostile(
        "chain that runs backwards (as sfdisk writes it)",
        () ->
            mbr()
                .extended(1, 0x05, 64, 6000)
                .logical(0x83, 64, 3000, 100)
                .logical(0x83, 5000, 5001, 100)
                .logical(0x83, 1000, 1001, 100)
                .toBytes(),
        o -> {
          numbers(1, 5, 6, 7).accept(o);
          assertThat(o.table().partition(7).orElseThrow().firstLba()).isEqualTo(1001);
          assertThat(o.table().diagnostics()).isEmpty();
        });
    hostile(
        "two extended partitions",
        () ->
            sector0(
                b -> {
                  entry(b, 446, 0, 0x05, 64, 100);
                  entry(b, 462, 0, 0x0F, 200, 100);
                }),
        o -> {
          numbers(1, 2).accept(o);
          assertThat(o.table().partition(2).orElseThrow().kind()).isEqualTo(PartitionKind.EXTENDED);
          diagnosed("second extended partition in slot 2").accept(o);
        });
    hostile(
        "logical with boot indicator 0x7f",
        () -> corrupt(chain3(), c -> c.setU8(chain3().layout().ebr(0).entryOffset(1), 0x7F)),
        o -> {
          diagnosed("p5: odd boot indicator 0x7f").accept(o);
          assertThat(o.table().partition(5).orElseThrow().bootable()).isFalse();
        });
    hostile(
        "BSD disklabel",
        () -> {
          byte[] b = new byte[8192];
          putU32(b, 512, 0x82564557L);
          return b;
        },
        fails(Kind.UNSUPPORTED, 512));
    hostile(
        "Apple partition map",
        () -> {
          byte[] b = new byte[8192];
          b[0] = 'E';
          b[1] = 'R';
          b[512] = 'P';
          b[513] = 'M';
          return b;
        },
        o -> {
          fails(Kind.UNSUPPORTED, 0).accept(o);
          assertThat(o.error().getMessage()).contains("an Apple partition map is not read");
        });

    // ---- GPT header fields
    badHeaderField("header_size 0xFFFFFFFF, no backup", HEADER_SIZE, 0xFFFF_FFFFL);
    hostile(
        "header_size 0xFFFFFFFF, backup valid",
        () -> primaryHeaderField(gpt(), HEADER_SIZE, 0xFFFF_FFFFL, 4),
        o -> {
          assertThat(((GptTable) o.table()).fromBackup()).isTrue();
          numbers(1, 2).accept(o);
          diagnosed("using the backup header").accept(o);
        });
    badHeaderField("header_size 0", HEADER_SIZE, 0);
    badHeaderField("header_size 91", HEADER_SIZE, 91);
    badHeaderField("4-billion entry count", ENTRY_COUNT, 0xFFFF_FFFFL);
    badHeaderField("entry count 0", ENTRY_COUNT, 0);
    badHeaderField(
        "entry count one above the cap", ENTRY_COUNT, ReadOptions.DEFAULT_MAX_GPT_ENTRIES + 1);
    badHeaderField("entry size 0", ENTRY_SIZE, 0);
    badHeaderField("entry size 2 GiB", ENTRY_SIZE, 0x8000_0000L);
    badHeaderField("entry size 130 (not a multiple of 8)", ENTRY_SIZE, 130);
    badHeaderField("entry array overlapping the header (LBA 1)", ENTRIES_LBA, 1);
    badHeaderField("entry array at LBA 0", ENTRIES_LBA, 0);
    badHeaderField("entry array at LBA 2^62 (offset overflows)", ENTRIES_LBA, 1L << 62);
    hostile(
        "entry array beyond the end of the image",
        () -> primaryHeaderField(gpt().withoutBackupGpt(), ENTRIES_LBA, 5000, 8),
        fails(Kind.TRUNCATED, 5000L * 512));
    hostile(
        "my_lba 7 in the primary, backup valid",
        () -> primaryHeaderField(gpt(), MY_LBA, 7, 8),
        o -> {
          assertThat(((GptTable) o.table()).fromBackup()).isTrue();
          diagnosed("my_lba 7 (expected 1)").accept(o);
        });
    badHeaderField("my_lba 2^64-1, no backup", MY_LBA, -1L);
    hostile(
        "first usable after last usable",
        () -> primaryHeaderField(gpt().withoutBackupGpt(), FIRST_USABLE, 5000, 8),
        fails(Kind.CORRUPT, 512 + LAST_USABLE));
    badHeaderField("usable range containing the header", FIRST_USABLE, 0);
    hostile(
        "last usable LBA 2^64-1",
        () -> primaryHeaderField(gpt().withoutBackupGpt(), LAST_USABLE, -1L, 8),
        fails(Kind.CORRUPT, 512 + FIRST_USABLE));
    hostile(
        "alternate LBA in the middle of the disk",
        () -> primaryHeaderField(gpt(), ALTERNATE_LBA, 1500, 8),
        diagnosed("but the backup GPT header is at the last LBA"));
    hostile(
        "primary header CRC broken, no backup",
        () -> corrupt(gpt().withoutBackupGpt(), Corruptor::breakPrimaryHeaderCrc),
        fails(Kind.CORRUPT, 512 + 16));
    hostile(
        "primary header zeroed, backup valid",
        () -> corrupt(gpt(), Corruptor::zeroPrimaryHeader),
        o -> {
          GptTable t = (GptTable) o.table();
          assertThat(t.fromBackup()).isTrue();
          numbers(1, 2).accept(o);
          assertThat(t.partition(1).orElseThrow().label()).isEqualTo("one");
        });
    hostile(
        "both headers zeroed behind a protective MBR",
        () -> corrupt(gpt(), c -> c.zeroPrimaryHeader().zeroBackupHeader()),
        fails(Kind.CORRUPT, 446));
    hostile(
        "entry array CRC broken, backup valid",
        () -> corrupt(gpt(), Corruptor::breakEntryArrayCrc),
        o -> {
          assertThat(((GptTable) o.table()).fromBackup()).isTrue();
          diagnosed("entry array CRC32").accept(o);
        });
    hostile(
        "entry array CRC broken, no backup",
        () -> corrupt(gpt().withoutBackupGpt(), Corruptor::breakEntryArrayCrc),
        o -> {
          numbers(1, 2).accept(o);
          diagnosed("entries used as they are").accept(o);
          diagnosed("backup GPT header at LBA").accept(o); // and why it was no better
        });
    hostile(
        "entry array CRC broken, backup header damaged too",
        () -> corrupt(gpt(), c -> c.breakEntryArrayCrc().breakBackupHeaderCrc()),
        o -> {
          numbers(1, 2).accept(o);
          diagnosed("entries used as they are").accept(o);
          diagnosed("backup GPT header at LBA").accept(o);
        });
    hostile(
        "both header CRCs broken: the error names both",
        () -> corrupt(gpt(), c -> c.breakPrimaryHeaderCrc().breakBackupHeaderCrc()),
        o -> {
          fails(Kind.CORRUPT, 512 + 16).accept(o);
          assertThat(o.error().getMessage())
              .startsWith("primary GPT header at LBA 1: ")
              .contains("; backup GPT header at LBA ");
        });
    hostile(
        "backup header damaged, primary fine",
        () -> corrupt(gpt(), Corruptor::breakBackupHeaderCrc),
        o -> {
          assertThat(((GptTable) o.table()).fromBackup()).isFalse();
          diagnosed("no valid backup GPT header").accept(o);
        });
    hostile(
        "GPT truncated to 32 KiB",
        () -> Arrays.copyOf(gpt().toBytes(), 32 << 10),
        o -> {
          numbers(1, 2).accept(o);
          diagnosed("lies beyond the end of the image (last LBA 63): truncated image?").accept(o);
          diagnosed("p2 (bytes").accept(o);
        });

    // ---- GPT entries
    hostile(
        "GPT entry ending before it starts",
        () -> rawGptEntry3(3000, 2500),
        o -> {
          numbers(1, 2).accept(o);
          diagnosed("GPT entry 3: LBA range 3000..2500 is invalid; skipped").accept(o);
        });
    hostile(
        "GPT entry at LBA 2^63",
        () -> rawGptEntry3(1L << 63, -1L),
        diagnosed("GPT entry 3: LBA range 9223372036854775808..18446744073709551615"));
    hostile(
        "GPT entry at LBA 2^62 (bytes overflow)",
        () -> rawGptEntry3(1L << 62, (1L << 62) + 5),
        diagnosed("GPT entry 3: LBA range 4611686018427387904"));
    hostile(
        "GPT entry outside the usable range",
        () -> gpt().gptPartition(3, 5, 10, "in the header area").toBytes(),
        diagnosed("p3 (LBA 5..10) lies outside the usable range"));
    hostile(
        "GPT name with an unpaired surrogate and garbage after NUL",
        () ->
            corrupt(
                gpt(),
                c -> {
                  long name = gpt().layout().gptEntryOffset(1) + 56;
                  c.setU16(name, 0xD800);
                  c.setU16(name + 2, 'x');
                  c.setU16(name + 4, 0);
                  c.setU16(name + 6, 'y');
                  c.fixEntryArrayCrc();
                }),
        // the bad unit alone is replaced; the name ends at the NUL (the primary array is read)
        o -> {
          assertThat(((GptTable) o.table()).fromBackup()).isFalse();
          assertThat(o.table().partitions().get(0).label()).isEqualTo("\uFFFDx");
        });
    hostile(
        "32768 entries (the cap), 4 MiB array",
        () ->
            new DiskImageBuilder()
                .sizeBytes(12L << 20)
                .gpt()
                .entryCount(32768)
                .gptPartition(32768, 9000, 9999, "last slot")
                .toBytes(),
        o -> {
          numbers(32768).accept(o);
          assertThat(o.table().partitions().get(0).label()).isEqualTo("last slot");
        });
    hostile(
        "entry size 4096, 4 entries",
        () ->
            new DiskImageBuilder()
                .sizeBytes(1L << 20)
                .gpt()
                .entrySize(4096)
                .entryCount(4)
                .gptPartition(4, 100, 199, "big entries")
                .toBytes(),
        numbers(4));

    // ---- protective and hybrid MBRs, sector sizes
    hostile(
        "GPT header behind an MBR with a data entry and no 0xEE",
        () -> corrupt(gpt(), c -> c.setU8(446 + 4, 0x83)),
        o -> {
          assertThat(o.table().scheme()).isEqualTo("dos");
          diagnosed("GPT header found but LBA 0 has no 0xEE entry").accept(o);
        });
    hostile(
        "hybrid MBR",
        () -> gpt().primary(2, 0x0C, 34, 966).toBytes(),
        o -> {
          assertThat(((GptTable) o.table()).hybridMbr()).isTrue();
          diagnosed("hybrid MBR").accept(o);
        });
    hostile(
        "protective MBR with boot indicator 0x01",
        () -> corrupt(gpt(), c -> c.setU8(446, 0x01)),
        o -> {
          numbers(1, 2).accept(o);
          diagnosed("odd boot indicator 0x01").accept(o);
        });
    hostile(
        "0xEE entry starting at LBA 7",
        () -> corrupt(gpt(), c -> c.setU32(446 + 8, 7)),
        diagnosed("no 0xEE entry of the protective MBR starts at LBA 1"));
    hostile(
        "GPT without any MBR signature",
        () -> corrupt(gpt(), c -> c.setU16(510, 0)),
        o -> {
          numbers(1, 2).accept(o);
          diagnosed("GPT without a protective MBR").accept(o);
        });
    hostile(
        "512-byte GPT read with --sector-size 4096",
        () -> gpt().toBytes(),
        ReadOptions.defaults().withSectorSize(4096),
        fails(Kind.CORRUPT, 446));
    hostile(
        "4096-byte GPT found without options",
        () ->
            new DiskImageBuilder()
                .sectorSize(4096)
                .sizeBytes(4L << 20)
                .gpt()
                .gptPartition(1, 6, 255, "4k")
                .toBytes(),
        o -> {
          assertThat(o.table().sectorSize().bytes()).isEqualTo(4096);
          assertThat(o.table().partition(1).orElseThrow().start()).isEqualTo(6 * 4096);
        });
  }
}
