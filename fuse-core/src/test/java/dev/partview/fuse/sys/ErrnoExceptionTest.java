package dev.partview.fuse.sys;

import static org.assertj.core.api.Assertions.assertThat;

import jnr.constants.platform.Errno;
import org.junit.jupiter.api.Test;

class ErrnoExceptionTest {
  @Test
  void ioctlMessagesNameTheRequestDeviceAndErrnoSymbol() {
    ErrnoException e = new ErrnoException("LOOP_CONFIGURE", "/dev/loop3", 16);
    assertThat(e).hasMessage("LOOP_CONFIGURE on /dev/loop3: EBUSY (Device or resource busy)");
    assertThat(e.is(Errno.EBUSY)).isTrue();
    assertThat(e.is(Errno.EAGAIN)).isFalse();
  }

  @Test
  void openMessagesReadLikeACall() {
    assertThat(new ErrnoException("open", "/dev/loop-control", 13, "loop devices need root"))
        .hasMessage("open /dev/loop-control: EACCES (Permission denied) (loop devices need root)");
  }

  @Test
  void hintKeepsTheErrnoAndTheCause() {
    ErrnoException e = new ErrnoException("LOOP_CTL_GET_FREE", "/dev/loop-control", 28);
    ErrnoException h = e.withHint("no free loop device");
    assertThat(h.errno()).isEqualTo(28);
    assertThat(h.getCause()).isSameAs(e);
    assertThat(h).hasMessageEndingWith("ENOSPC (No space left on device) (no free loop device)");
  }

  @Test
  void unknownErrnoIsShownAsANumber() {
    assertThat(ErrnoException.describe(4242)).isEqualTo("errno 4242");
  }
}
