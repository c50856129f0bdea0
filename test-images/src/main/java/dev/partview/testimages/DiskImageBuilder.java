package dev.partview.testimages;

import dev.partview.testimages.ExpectedPartition.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Writes MBR, EBR-chain and GPT bytes itself — never through the parser under test — and says what
 * it wrote ({@link #layout()}). Everything is deterministic: fixed disk signature and GUIDs unless
 * given. LBAs are in units of {@link #sectorSize(int)}.
 *
 * <pre>
 *   new DiskImageBuilder().sizeBytes(64 &lt;&lt; 20)
 *       .primary(1, 0x07, 63, 20_000).bootable(1)
 *       .extended(2, 0x0F, 20_063, 80_000)
 *       .logical(0x83, 20_063, 20_126, 10_000)
 *       .logical(0x82, 30_126, 30_189, 5_000);
 *
 *   new DiskImageBuilder().sectorSize(4096).sizeBytes(1L &lt;&lt; 30).gpt()
 *       .gptPartition(1, 256, 1279, "EFI")
 *       .gptPartition(GptPartition.of(3, 2048, 4095).withName("root").withAttributes(1L &lt;&lt; 60));
 * </pre>
 */
public final class DiskImageBuilder {
  /** The MBR disk signature unless {@link #diskSignature(long)} says otherwise. */
  public static final long DEFAULT_DISK_SIGNATURE = 0x7076_6d62L;

  /** The GPT disk GUID unless {@link #diskGuid(UUID)} says otherwise. */
  public static final UUID DEFAULT_DISK_GUID =
      UUID.nameUUIDFromBytes("partview test disk".getBytes(StandardCharsets.US_ASCII));

  private static final int MARKER_LENGTH = 32;

  private int sectorSize = 512;
  private long sizeBytes = 16L << 20;
  private long fileBytes = -1;
  private long diskSignature = DEFAULT_DISK_SIGNATURE;
  private final MbrEncoder.Entry[] slots = new MbrEncoder.Entry[4];
  private int extendedSlot;
  private final List<Ebr> ebrs = new ArrayList<>();
  private boolean gpt;
  private UUID diskGuid = DEFAULT_DISK_GUID;
  private int entryCount = 128;
  private int entrySize = 128;
  private long entriesLba = 2;
  private long firstUsableLba = -1;
  private long lastUsableLba = -1;
  private int protectiveSlot = 1;
  private long protectiveStartLba = 1;
  private long protectiveSectors = -1;
  private boolean backupGpt = true;
  private final Map<Integer, GptPartition> gptPartitions = new TreeMap<>();
  private boolean markers;

  /** 512 (default), 1024, 2048 or 4096. */
  public DiskImageBuilder sectorSize(int bytes) {
    if (bytes != 512 && bytes != 1024 && bytes != 2048 && bytes != 4096) {
      throw new IllegalArgumentException("sector size must be 512, 1024, 2048 or 4096: " + bytes);
    }
    this.sectorSize = bytes;
    return this;
  }

  /** Size of the modelled disk (default 16 MiB); a multiple of the sector size. */
  public DiskImageBuilder sizeBytes(long bytes) {
    if (bytes <= 0) throw new IllegalArgumentException("image size must be positive: " + bytes);
    this.sizeBytes = bytes;
    return this;
  }

  /** Writes only the first {@code bytes} of the disk, as the corpus' truncated images are. */
  public DiskImageBuilder truncatedTo(long bytes) {
    if (bytes < 0) throw new IllegalArgumentException("negative file length: " + bytes);
    this.fileBytes = bytes;
    return this;
  }

  /** MBR disk signature (u32 at byte 440), also written into a protective MBR. */
  public DiskImageBuilder diskSignature(long signature) {
    MbrEncoder.requireU32("disk signature", signature);
    this.diskSignature = signature;
    return this;
  }

  /** A primary entry in {@code slot} (1..4); with {@link #gpt()} it is a hybrid-MBR entry. */
  public DiskImageBuilder primary(int slot, int type, long startLba, long sectors) {
    if (MbrEncoder.isExtendedType(type)) {
      throw new IllegalArgumentException(
          "use extended(...) for type " + ExpectedPartition.mbrType(type));
    }
    return setSlot(slot, new MbrEncoder.Entry(0, type, startLba, sectors));
  }

  /** Sets the boot indicator of the entry in {@code slot} to 0x80. */
  public DiskImageBuilder bootable(int slot) {
    return bootIndicator(slot, 0x80);
  }

  /** Any boot indicator byte (values other than 0x00/0x80 mark a table as invalid for Linux). */
  public DiskImageBuilder bootIndicator(int slot, int value) {
    MbrEncoder.Entry e = requireSlot(slot);
    slots[slot - 1] = new MbrEncoder.Entry(value, e.type(), e.startLba(), e.sectors());
    return this;
  }

  /**
   * The extended partition (0x05, 0x0F or 0x85); its EBRs come from {@link #logical}/{@link #ebr}.
   */
  public DiskImageBuilder extended(int slot, int type, long startLba, long sectors) {
    if (!MbrEncoder.isExtendedType(type)) {
      throw new IllegalArgumentException(
          "not an extended type: " + ExpectedPartition.mbrType(type));
    }
    if (extendedSlot != 0) throw new IllegalStateException("only one extended partition");
    setSlot(slot, new MbrEncoder.Entry(0, type, startLba, sectors));
    extendedSlot = slot;
    return this;
  }

  /** Appends an EBR at {@code ebrLba} holding one logical partition (absolute LBAs). */
  public DiskImageBuilder logical(int type, long ebrLba, long startLba, long sectors) {
    return ebr(Ebr.at(ebrLba).logical(type, startLba, sectors));
  }

  /** Appends an EBR to the chain; the first must sit at the start of the extended partition. */
  public DiskImageBuilder ebr(Ebr ebr) {
    ebrs.add(ebr);
    return this;
  }

  /** Makes this a GPT disk: protective MBR, primary header at LBA 1, backup at the last LBA. */
  public DiskImageBuilder gpt() {
    this.gpt = true;
    return this;
  }

  public DiskImageBuilder diskGuid(UUID guid) {
    this.diskGuid = Objects.requireNonNull(guid, "guid");
    return this;
  }

  /** Number of entries in the array (default 128). */
  public DiskImageBuilder entryCount(int count) {
    if (count < 1) throw new IllegalArgumentException("entry count must be >= 1: " + count);
    this.entryCount = count;
    return this;
  }

  /** Bytes per entry (default 128): at least 128 and a multiple of 8. */
  public DiskImageBuilder entrySize(int size) {
    if (size < GptEncoder.MIN_ENTRY_SIZE || size % 8 != 0) {
      throw new IllegalArgumentException("entry size must be >= 128 and a multiple of 8: " + size);
    }
    this.entrySize = size;
    return this;
  }

  /** LBA of the primary entry array (default 2). */
  public DiskImageBuilder entriesLba(long lba) {
    if (lba < 2) throw new IllegalArgumentException("entry array must start at LBA >= 2: " + lba);
    this.entriesLba = lba;
    return this;
  }

  /** Overrides the header's first usable LBA (default: just after the primary entry array). */
  public DiskImageBuilder firstUsableLba(long lba) {
    this.firstUsableLba = lba;
    return this;
  }

  /** Overrides the header's last usable LBA (default: just before the backup entry array). */
  public DiskImageBuilder lastUsableLba(long lba) {
    this.lastUsableLba = lba;
    return this;
  }

  /** The 0xEE entry goes to {@code slot} (default 1), covering LBA 1 to the end of the disk. */
  public DiskImageBuilder protectiveSlot(int slot) {
    return protectiveMbr(slot, 1, -1);
  }

  /** The 0xEE entry's slot and extent; {@code sectors == -1}: to the end (capped at 2^32 - 1). */
  public DiskImageBuilder protectiveMbr(int slot, long startLba, long sectors) {
    DiskLayout.mbrEntryOffset(slot);
    this.protectiveSlot = slot;
    this.protectiveStartLba = startLba;
    this.protectiveSectors = sectors;
    return this;
  }

  /** A GPT entry with the Linux-filesystem type and a fixed unique GUID. */
  public DiskImageBuilder gptPartition(int number, long firstLba, long lastLba, String name) {
    return gptPartition(GptPartition.of(number, firstLba, lastLba).withName(name));
  }

  public DiskImageBuilder gptPartition(GptPartition partition) {
    if (gptPartitions.putIfAbsent(partition.number(), partition) != null) {
      throw new IllegalStateException("GPT entry " + partition.number() + " given twice");
    }
    return this;
  }

  /** Leaves out the backup header and array, as on a disk whose end was never copied. */
  public DiskImageBuilder withoutBackupGpt() {
    this.backupGpt = false;
    return this;
  }

  /**
   * Writes {@link #startMarker(int)} into the first and {@link #endMarker(int)} into the last 32
   * bytes of every data partition (of at least 64 bytes, inside the file), so readers of partition
   * contents can check they got the right bytes. Tables are written after, and win.
   */
  public DiskImageBuilder withPartitionMarkers() {
    this.markers = true;
    return this;
  }

  public static byte[] startMarker(int number) {
    return marker("PARTVIEW P" + number + " START");
  }

  public static byte[] endMarker(int number) {
    return marker("PARTVIEW P" + number + " END");
  }

  /** Offsets and expected partitions; computed afresh from the current settings. */
  public DiskLayout layout() {
    if (sizeBytes % sectorSize != 0) {
      throw new IllegalStateException(
          "image size " + sizeBytes + " is not a multiple of the sector size " + sectorSize);
    }
    long file = fileBytes < 0 ? sizeBytes : Math.min(fileBytes, sizeBytes);
    if (gpt) {
      GptPlan plan = gptPlan();
      return new DiskLayout(
          sectorSize,
          sizeBytes,
          file,
          diskGuid.toString(),
          plan.expected(),
          List.of(),
          0,
          plan.layout());
    }
    MbrChain chain = mbrChain();
    return new DiskLayout(
        sectorSize,
        sizeBytes,
        file,
        String.format(Locale.ROOT, "0x%08x", diskSignature),
        chain.expected(),
        chain.layouts(),
        chain.extendedStartLba(),
        null);
  }

  public List<ExpectedPartition> expectedPartitions() {
    return layout().partitions();
  }

  public long primaryHeaderOffset() {
    return layout().primaryHeaderOffset();
  }

  public long entryArrayOffset() {
    return layout().entryArrayOffset();
  }

  public long backupHeaderOffset() {
    return layout().backupHeaderOffset();
  }

  public long backupEntryArrayOffset() {
    return layout().backupEntryArrayOffset();
  }

  public long gptEntryOffset(int number) {
    return layout().gptEntryOffset(number);
  }

  public long ebrOffset(int index) {
    return layout().ebrOffset(index);
  }

  public byte[] toBytes() {
    return render().toBytes();
  }

  /** Writes a sparse file (only the table sectors are allocated) and returns {@code file}. */
  public Path writeTo(Path file) throws IOException {
    return render().writeTo(file);
  }

  private SparseImage render() {
    DiskLayout layout = layout();
    SparseImage image = new SparseImage(layout.fileSizeBytes());
    if (markers) writeMarkers(image, layout);
    MbrEncoder.Entry[] mbr = slots.clone();
    if (gpt) mbr[protectiveSlot - 1] = protectiveEntry();
    image.write(0, MbrEncoder.sector(diskSignature, mbr));
    if (gpt) {
      gptPlan().write(image);
    } else {
      mbrChain().write(image);
    }
    return image;
  }

  private MbrChain mbrChain() {
    return new MbrChain(sectorSize, slots, extendedSlot, ebrs);
  }

  private GptPlan gptPlan() {
    if (extendedSlot != 0) throw new IllegalStateException("GPT with an extended partition");
    if (slots[protectiveSlot - 1] != null) {
      throw new IllegalStateException(
          "slot " + protectiveSlot + " holds the 0xEE entry; move it with protectiveMbr(...)");
    }
    return new GptPlan(
        sectorSize,
        sizeBytes,
        diskGuid,
        entriesLba,
        entryCount,
        entrySize,
        firstUsableLba,
        lastUsableLba,
        backupGpt,
        gptPartitions.values());
  }

  /**
   * UEFI's protective entry: 0xEE from LBA 1 to the end of the disk, capped at 2^32 - 1 sectors.
   */
  private MbrEncoder.Entry protectiveEntry() {
    long totalSectors = sizeBytes / sectorSize;
    long sectors =
        protectiveSectors >= 0
            ? protectiveSectors
            : Math.min(totalSectors - protectiveStartLba, 0xFFFF_FFFFL);
    return new MbrEncoder.Entry(0, 0xEE, protectiveStartLba, sectors);
  }

  private void writeMarkers(SparseImage image, DiskLayout layout) {
    for (ExpectedPartition p : layout.partitions()) {
      if (p.kind() == Kind.EXTENDED || p.size() < 2L * MARKER_LENGTH) continue;
      image.write(p.start(), startMarker(p.number()));
      image.write(p.start() + p.size() - MARKER_LENGTH, endMarker(p.number()));
    }
  }

  private static byte[] marker(String text) {
    byte[] out = new byte[MARKER_LENGTH];
    Arrays.fill(out, (byte) '.');
    byte[] t = text.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(t, 0, out, 0, Math.min(t.length, MARKER_LENGTH));
    return out;
  }

  private DiskImageBuilder setSlot(int slot, MbrEncoder.Entry entry) {
    DiskLayout.mbrEntryOffset(slot);
    if (slots[slot - 1] != null)
      throw new IllegalStateException("MBR slot " + slot + " is already used");
    slots[slot - 1] = entry;
    return this;
  }

  private MbrEncoder.Entry requireSlot(int slot) {
    DiskLayout.mbrEntryOffset(slot);
    MbrEncoder.Entry e = slots[slot - 1];
    if (e == null) throw new IllegalStateException("MBR slot " + slot + " is empty");
    return e;
  }
}
