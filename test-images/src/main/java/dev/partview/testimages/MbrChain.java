package dev.partview.testimages;

import dev.partview.testimages.DiskLayout.EbrLayout;
import dev.partview.testimages.ExpectedPartition.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * The MBR side of a {@link DiskImageBuilder}: expected partitions in Linux numbering (slots 1-4,
 * then every data entry of every EBR from 5 in chain order) and the EBR sectors, with data entries
 * relative to their EBR and links relative to the start of the extended partition.
 */
final class MbrChain {
  private final int sectorSize;
  private final MbrEncoder.Entry[] slots;
  private final int extendedSlot;
  private final List<Ebr> ebrs;

  /** {@code extendedSlot == 0}: no extended partition. */
  MbrChain(int sectorSize, MbrEncoder.Entry[] slots, int extendedSlot, List<Ebr> ebrs) {
    this.sectorSize = sectorSize;
    this.slots = slots.clone();
    this.extendedSlot = extendedSlot;
    this.ebrs = List.copyOf(ebrs);
    validate();
  }

  long extendedStartLba() {
    return extendedSlot == 0 ? 0 : slots[extendedSlot - 1].startLba();
  }

  List<ExpectedPartition> expected() {
    List<ExpectedPartition> out = new ArrayList<>();
    for (int slot = 1; slot <= 4; slot++) {
      MbrEncoder.Entry e = slots[slot - 1];
      if (e == null || e.sectors() == 0) continue;
      Kind kind = slot == extendedSlot ? Kind.EXTENDED : Kind.PRIMARY;
      out.add(partition(slot, kind, e.type(), e.startLba(), e.sectors(), e.bootIndicator()));
    }
    int number = 5;
    for (Ebr ebr : ebrs) {
      for (Ebr.Logical l : ebr.logicals()) {
        if (l.sectors() == 0) continue;
        out.add(
            partition(
                number++, Kind.LOGICAL, l.type(), l.startLba(), l.sectors(), l.bootIndicator()));
      }
    }
    return out;
  }

  List<EbrLayout> layouts() {
    List<EbrLayout> out = new ArrayList<>();
    for (int i = 0; i < ebrs.size(); i++) {
      Ebr ebr = ebrs.get(i);
      out.add(new EbrLayout(i, ebr.lba(), ebr.lba() * sectorSize, ebr.linkSlot(), ebr.dataSlots()));
    }
    return out;
  }

  void write(SparseImage image) {
    for (int i = 0; i < ebrs.size(); i++) image.write(ebrs.get(i).lba() * sectorSize, ebrSector(i));
  }

  /**
   * One EBR. The link entry (type 0x05) spans the next EBR and its data, as fdisk writes it; the
   * kernel and libblkid only use its start.
   */
  private byte[] ebrSector(int index) {
    Ebr ebr = ebrs.get(index);
    MbrEncoder.Entry[] entries = new MbrEncoder.Entry[4];
    List<Integer> dataSlots = ebr.dataSlots();
    for (int i = 0; i < dataSlots.size(); i++) {
      Ebr.Logical l = ebr.logicals().get(i);
      entries[dataSlots.get(i) - 1] =
          new MbrEncoder.Entry(l.bootIndicator(), l.type(), l.startLba() - ebr.lba(), l.sectors());
    }
    if (index + 1 < ebrs.size()) {
      Ebr next = ebrs.get(index + 1);
      long end = next.lba() + 1;
      for (Ebr.Logical l : next.logicals()) end = Math.max(end, l.startLba() + l.sectors());
      entries[ebr.linkSlot() - 1] =
          new MbrEncoder.Entry(0, 0x05, next.lba() - extendedStartLba(), end - next.lba());
    }
    return MbrEncoder.sector(0, entries);
  }

  private void validate() {
    if (ebrs.isEmpty()) return;
    if (extendedSlot == 0) {
      throw new IllegalStateException("logical partitions need an extended(...) entry");
    }
    MbrEncoder.Entry ext = slots[extendedSlot - 1];
    for (int i = 0; i < ebrs.size(); i++) {
      Ebr ebr = ebrs.get(i);
      if (i == 0 && ebr.lba() != ext.startLba()) {
        throw new IllegalStateException(
            "the first EBR must sit at the extended start LBA "
                + ext.startLba()
                + ", not "
                + ebr.lba());
      }
      if (ebr.lba() < ext.startLba() || ebr.lba() >= ext.startLba() + ext.sectors()) {
        throw new IllegalStateException(
            "EBR " + i + " at LBA " + ebr.lba() + " is outside the extended partition");
      }
      for (Ebr.Logical l : ebr.logicals()) {
        if (l.startLba() < ebr.lba()) {
          throw new IllegalStateException(
              "logical at LBA " + l.startLba() + " lies before its EBR at LBA " + ebr.lba());
        }
      }
    }
  }

  private ExpectedPartition partition(
      int number, Kind kind, int type, long lba, long sectors, int bootIndicator) {
    return new ExpectedPartition(
        number,
        kind,
        lba,
        sectors,
        lba * sectorSize,
        sectors * sectorSize,
        ExpectedPartition.mbrType(type),
        null,
        null,
        bootIndicator == 0x80,
        0);
  }
}
