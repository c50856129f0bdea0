package dev.partview.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.partview.fuse.probe.Filesystem;
import dev.partview.table.Diagnostic;
import dev.partview.table.GptTable;
import dev.partview.table.Partition;
import dev.partview.table.PartitionKind;
import dev.partview.table.PartitionTable;
import dev.partview.table.PartitionTableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code partview list --json}. The field names of DESIGN.md's {@code list --json} shape are the
 * contract and are spelled here once, as record components; fields beyond it are marked "extra" and
 * left out where they do not apply (e.g. GPT attributes on an MBR partition).
 */
final class ListingJson {
  private ListingJson() {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Two-space indents, {@code "key": value}, arrays one element a line: as jq prints. */
  private static final DefaultPrettyPrinter PRETTY =
      new DefaultPrettyPrinter(
              Separators.createDefaultInstance()
                  .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                  .withObjectEmptySeparator("")
                  .withArrayEmptySeparator(""))
          .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);

  static String render(Listing l) {
    try {
      return MAPPER.writer(PRETTY).writeValueAsString(of(l));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the listing as JSON", e); // records: never
    }
  }

  /** The whole document. */
  record Image(
      String image,
      long size,
      Integer sectorSize,
      String sectorSizeSource,
      String table,
      String diskId,
      List<Part> partitions,
      List<Diag> diagnostics,
      // extra: what libblkid finds at the start of the whole image (e.g. iso9660 on an ISO)
      Fs filesystem,
      // extra: "libblkid 2.38.1", or null when filesystems could not be probed
      String filesystemProbe,
      // extra, GPT only
      @JsonInclude(JsonInclude.Include.NON_NULL) Boolean hybridMbr,
      @JsonInclude(JsonInclude.Include.NON_NULL) Boolean fromBackup,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long firstUsableLba,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long lastUsableLba,
      // extra: why there is no table
      @JsonInclude(JsonInclude.Include.NON_NULL) TableError error) {}

  record Part(
      int number,
      String name,
      String kind,
      long start,
      long size,
      long end,
      long startSector,
      long sectors,
      String type,
      String typeName,
      String label,
      String uuid,
      boolean bootable,
      Fs filesystem,
      // extra, GPT only: the 64-bit attribute field in hex
      @JsonInclude(JsonInclude.Include.NON_NULL) String attributes,
      // extra: why the filesystem could not be probed
      @JsonInclude(JsonInclude.Include.NON_NULL) String filesystemError) {}

  record Fs(String type, String label, String uuid, String usage) {}

  record Diag(String severity, long offset, String message) {}

  record TableError(String kind, String structure, long offset, String message) {}

  static Image of(Listing l) {
    PartitionTable t = l.table();
    if (t == null) {
      PartitionTableException e = l.failure();
      return new Image(
          l.image(),
          l.size(),
          l.sectorSizeOption(),
          l.sectorSizeOption() == null ? null : "option",
          null,
          null,
          List.of(),
          List.of(new Diag("error", e.offset(), e.getMessage())),
          fs(l.wholeImage()),
          l.probe(),
          null,
          null,
          null,
          null,
          new TableError(
              e.kind().name().toLowerCase(Locale.ROOT), e.structure(), e.offset(), e.getMessage()));
    }
    List<Part> parts = new ArrayList<>();
    boolean gpt = t instanceof GptTable;
    for (Partition p : t.partitions()) {
      parts.add(
          new Part(
              p.number(),
              p.name(),
              p.kind().jsonName(),
              p.start(),
              p.size(),
              p.end(),
              p.firstLba(),
              p.sectors(),
              p.type().id(),
              p.type().displayName(),
              p.label(),
              p.uuid() == null ? null : p.uuid().toString(),
              p.bootable(),
              p.kind() == PartitionKind.EXTENDED ? null : fs(l.filesystems().get(p.number())),
              gpt ? String.format(Locale.ROOT, "0x%016x", p.attributes()) : null,
              l.probeErrors().get(p.number())));
    }
    List<Diag> diags = new ArrayList<>();
    for (Diagnostic d : t.diagnostics()) {
      diags.add(new Diag(d.severity().jsonName(), d.offset(), d.message()));
    }
    GptTable g = gpt ? (GptTable) t : null;
    return new Image(
        l.image(),
        l.size(),
        t.sectorSize().bytes(),
        t.sectorSize().source(),
        t.scheme(),
        t.diskId(),
        parts,
        diags,
        fs(l.wholeImage()),
        l.probe(),
        g == null ? null : g.hybridMbr(),
        g == null ? null : g.fromBackup(),
        g == null ? null : g.firstUsableLba(),
        g == null ? null : g.lastUsableLba(),
        null);
  }

  private static Fs fs(Filesystem f) {
    return f == null ? null : new Fs(f.type(), f.label(), f.uuid(), f.usage());
  }
}
