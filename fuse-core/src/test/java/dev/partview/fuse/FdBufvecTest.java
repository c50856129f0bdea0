package dev.partview.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import com.kenai.jffi.MemoryIO;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;
import org.junit.jupiter.api.Test;
import ru.serce.jnrfuse.flags.FuseBufFlags;
import ru.serce.jnrfuse.struct.FuseBufvec;

/** The hand-written layout, read back through jnr-fuse's own struct of libfuse's header. */
class FdBufvecTest {
  @Test
  void jnrFuseReadsWhatWasWritten() {
    Runtime rt = Runtime.getSystemRuntime();
    assertThat(FdBufvec.SIZE).isEqualTo(Struct.size(new FuseBufvec(rt)));
    long v = FdBufvec.allocate(37, 0x1_2345_6789L, 131072);
    try {
      FuseBufvec vec = FuseBufvec.of(Pointer.wrap(rt, v));
      assertThat(vec.count.get()).isEqualTo(1);
      assertThat(vec.idx.get()).isZero();
      assertThat(vec.off.get()).isZero();
      assertThat(vec.buf.size.get()).isEqualTo(131072);
      assertThat(vec.buf.flags.intValue())
          .isEqualTo(
              FuseBufFlags.FUSE_BUF_IS_FD.intValue()
                  | FuseBufFlags.FUSE_BUF_FD_SEEK.intValue()
                  | FuseBufFlags.FUSE_BUF_FD_RETRY.intValue());
      assertThat(vec.buf.mem.get()).isNull();
      assertThat(vec.buf.fd.get()).isEqualTo(37);
      assertThat(vec.buf.pos.get()).isEqualTo(0x1_2345_6789L);
    } finally {
      MemoryIO.getInstance().freeMemory(v);
    }
  }
}
