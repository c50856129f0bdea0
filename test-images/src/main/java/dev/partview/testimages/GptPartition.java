package dev.partview.testimages;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/**
 * One GPT entry to write. {@link #of} picks the Linux-filesystem type and a fixed unique GUID per
 * entry number, so images are byte-for-byte reproducible; the {@code with…} methods override.
 *
 * @param number entry index + 1 (the Linux partition number)
 * @param firstLba first sector
 * @param lastLba last sector, inclusive (UEFI EndingLBA)
 * @param name at most 36 UTF-16 code units; shorter names are NUL-padded
 */
public record GptPartition(
    int number, UUID type, UUID uuid, long firstLba, long lastLba, long attributes, String name) {

  public static final UUID LINUX_FILESYSTEM =
      UUID.fromString("0fc63daf-8483-4772-8e79-3d69d8477de4");
  public static final UUID EFI_SYSTEM = UUID.fromString("c12a7328-f81f-11d2-ba4b-00a0c93ec93b");
  public static final UUID MICROSOFT_BASIC_DATA =
      UUID.fromString("ebd0a0a2-b9e5-4433-87c0-68b6b72699c7");
  public static final UUID LINUX_SWAP = UUID.fromString("0657fd6d-a4ab-43c4-84e5-0933c84b4f4f");

  /** Attribute bit 2: legacy BIOS bootable (reported as "bootable"). */
  public static final long LEGACY_BIOS_BOOTABLE = 1L << 2;

  public GptPartition {
    if (number < 1) throw new IllegalArgumentException("GPT entry number must be >= 1: " + number);
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(name, "name");
    if (firstLba < 0 || lastLba < firstLba) {
      throw new IllegalArgumentException(
          "GPT entry "
              + number
              + ": need 0 <= firstLba <= lastLba, got "
              + firstLba
              + ".."
              + lastLba);
    }
    if (name.getBytes(StandardCharsets.UTF_16LE).length > 2 * GptEncoder.NAME_UNITS) {
      throw new IllegalArgumentException("GPT name longer than 36 UTF-16 code units: " + name);
    }
  }

  /** Linux filesystem type, unique GUID {@link #defaultUuid(int)}, no attributes, no name. */
  public static GptPartition of(int number, long firstLba, long lastLba) {
    return new GptPartition(
        number, LINUX_FILESYSTEM, defaultUuid(number), firstLba, lastLba, 0, "");
  }

  /** The fixed unique GUID given to entry {@code number} unless one is set. */
  public static UUID defaultUuid(int number) {
    return UUID.nameUUIDFromBytes(
        ("partview test partition " + number).getBytes(StandardCharsets.US_ASCII));
  }

  public GptPartition withType(UUID newType) {
    return new GptPartition(number, newType, uuid, firstLba, lastLba, attributes, name);
  }

  public GptPartition withUuid(UUID newUuid) {
    return new GptPartition(number, type, newUuid, firstLba, lastLba, attributes, name);
  }

  public GptPartition withAttributes(long newAttributes) {
    return new GptPartition(number, type, uuid, firstLba, lastLba, newAttributes, name);
  }

  public GptPartition withName(String newName) {
    return new GptPartition(number, type, uuid, firstLba, lastLba, attributes, newName);
  }

  public long sectors() {
    return lastLba - firstLba + 1;
  }
}
