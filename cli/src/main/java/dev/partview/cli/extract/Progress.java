package dev.partview.cli.extract;

/** How far a copy is; called from the copying thread after every chunk. */
public interface Progress extends AutoCloseable {
  Progress NONE =
      new Progress() {
        @Override
        public void update(long bytesDone) {}

        @Override
        public void close() {}
      };

  void update(long bytesDone);

  @Override
  void close();
}
