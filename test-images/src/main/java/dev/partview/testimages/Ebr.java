package dev.partview.testimages;

import java.util.ArrayList;
import java.util.List;

/**
 * One extended boot record of the chain: its own LBA, the logical partitions it describes (absolute
 * LBAs here; the builder stores them relative to this EBR) and the slot that holds the link to the
 * next EBR (relative to the start of the extended partition). Data entries fill the slots from 1,
 * skipping the link slot; by default the link follows the last data entry (call {@link #linkInSlot}
 * after adding the data entries to place it elsewhere).
 *
 * <pre>
 *   Ebr.at(2048).logical(0x83, 2111, 4000)                              // the usual EBR
 *   Ebr.at(2048).logical(0x83, 2049, 100).logical(0x83, 2149, 100).linkInSlot(3)  // two data entries
 * </pre>
 */
public record Ebr(long lba, List<Logical> logicals, int linkSlot) {

  /** A data entry: absolute start LBA and length; {@code bootIndicator} 0x00 or 0x80 normally. */
  public record Logical(int type, long startLba, long sectors, int bootIndicator) {
    public Logical {
      if (MbrEncoder.isExtendedType(type)) {
        throw new IllegalArgumentException(
            String.format("type 0x%02x in an EBR data entry would be read as a link", type));
      }
    }
  }

  public Ebr {
    logicals = List.copyOf(logicals);
    if (lba < 1) throw new IllegalArgumentException("EBR LBA must be >= 1: " + lba);
    if (linkSlot < 1 || linkSlot > 4)
      throw new IllegalArgumentException("link slot 1..4: " + linkSlot);
    if (logicals.size() > 3)
      throw new IllegalArgumentException("an EBR has room for 3 data entries");
  }

  /** An EBR at {@code lba} without entries yet; the link goes to slot 1 until data is added. */
  public static Ebr at(long lba) {
    return new Ebr(lba, List.of(), 1);
  }

  /** Adds a data entry (not bootable); moves a default-placed link behind it. */
  public Ebr logical(int type, long startLba, long sectors) {
    return logical(new Logical(type, startLba, sectors, 0));
  }

  public Ebr logical(Logical entry) {
    List<Logical> more = new ArrayList<>(logicals);
    more.add(entry);
    boolean defaultLink = linkSlot == logicals.size() + 1;
    return new Ebr(lba, more, defaultLink ? more.size() + 1 : linkSlot);
  }

  /** Puts the link entry in {@code slot} (e.g. 3 after two data entries, as DFTT's image does). */
  public Ebr linkInSlot(int slot) {
    return new Ebr(lba, logicals, slot);
  }

  /** The slots (1-based) the data entries occupy, in entry order. */
  public List<Integer> dataSlots() {
    return dataSlots(logicals.size(), linkSlot);
  }

  private static List<Integer> dataSlots(int count, int linkSlot) {
    List<Integer> slots = new ArrayList<>();
    for (int slot = 1; slots.size() < count; slot++) {
      if (slot != linkSlot) slots.add(slot);
    }
    return slots;
  }
}
