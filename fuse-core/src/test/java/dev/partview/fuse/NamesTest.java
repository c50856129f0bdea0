package dev.partview.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NamesTest {
  @Test
  void escapesLikeUdev() {
    assertThat(Names.escapeLabel("EFI System")).isEqualTo("EFI System");
    assertThat(Names.escapeLabel("a/b")).isEqualTo("a\\x2fb");
    assertThat(Names.escapeLabel("back\\slash")).isEqualTo("back\\x5cslash");
    assertThat(Names.escapeLabel("tab\there")).isEqualTo("tab\\x09here");
    assertThat(Names.escapeLabel(".")).isEqualTo("\\x2e");
    assertThat(Names.escapeLabel("..")).isEqualTo("\\x2e.");
    assertThat(Names.escapeLabel("...")).isEqualTo("...");
    assertThat(Names.escapeLabel("données")).isEqualTo("données");
    assertThat(Names.escapeLabel("")).isEmpty();
  }

  @Test
  void cutsLongNamesAtACharacterBoundary() {
    String s = Names.escapeLabel("é".repeat(200));
    assertThat(s.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
    assertThat(s).isEqualTo("é".repeat(127));
  }
}
