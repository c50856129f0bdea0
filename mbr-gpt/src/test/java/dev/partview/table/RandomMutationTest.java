package dev.partview.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A seeded mutation loop that runs in every build (Jazzer's coverage-guided search runs only on
 * demand): each builder seed gets thousands of mutants — bytes flipped, table fields set to
 * boundary values, the file cut short — and every read must end in a table or the checked
 * exception, bounded in time and allocation as in {@link HostileInputTest}.
 */
class RandomMutationTest {
  static final long SEED = 0x7061_7274_7669_6577L; // "partview"
  static final int MUTANTS_PER_SEED = 1000;

  /** Offsets where a mutation hits a parsed field: MBR entries, GPT header, first GPT entries. */
  private static final int[] HOT = {
    446,
    450,
    454,
    458,
    462,
    466,
    470,
    474,
    478,
    482,
    486,
    490,
    494,
    498,
    502,
    506,
    510,
    512 + 12,
    512 + 16,
    512 + 24,
    512 + 32,
    512 + 40,
    512 + 48,
    512 + 72,
    512 + 80,
    512 + 84,
    512 + 88,
    1024 + 32,
    1024 + 40,
    1024 + 128 + 32,
    4096 + 12,
    4096 + 80,
    4096 + 84
  };

  private static final long[] BOUNDARY = {
    0, 1, 2, 0x7F, 0x80, 0xFF, 0xFFFF, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, -1L, 1L << 62
  };

  @Test
  void mutantsOfEverySeedReadAsTableOrCheckedException() {
    Random r = new Random(SEED);
    int tables = 0;
    int errors = 0;
    for (Map.Entry<String, byte[]> seed : FuzzSeedsTest.seeds().entrySet()) {
      for (int i = 0; i < MUTANTS_PER_SEED; i++) {
        byte[] mutant = mutate(seed.getValue(), r);
        HostileInputTest.Outcome o = HostileInputTest.read(mutant, ReadOptions.defaults());
        if (o.isTable()) tables++;
        else errors++;
      }
    }
    // Both outcomes must occur, or the mutations are too weak (or too strong) to mean anything.
    assertThat(tables).as("mutants read as tables").isGreaterThan(600);
    assertThat(errors).as("mutants rejected").isGreaterThan(600);
  }

  static byte[] mutate(byte[] original, Random r) {
    byte[] b = original.clone();
    int steps = 1 + r.nextInt(4);
    for (int s = 0; s < steps; s++) {
      switch (r.nextInt(4)) {
        case 0 -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        case 1 -> {
          int at = HOT[r.nextInt(HOT.length)];
          long v = BOUNDARY[r.nextInt(BOUNDARY.length)];
          int width = r.nextBoolean() ? 4 : 8;
          for (int k = 0; k < width && at + k < b.length; k++) b[at + k] = (byte) (v >>> (8 * k));
        }
        case 2 -> {
          int at = r.nextInt(b.length);
          b[at] = (byte) r.nextInt(256);
        }
        default -> {
          List<Integer> cuts = new ArrayList<>(List.of(0, 1, 511, 512, 1024, 4096, b.length / 2));
          int cut = cuts.get(r.nextInt(cuts.size()));
          if (cut < b.length) b = Arrays.copyOf(b, cut);
          if (b.length == 0) return b;
        }
      }
    }
    return b;
  }
}
