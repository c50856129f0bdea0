package dev.partview.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;

/** Entry point of the runnable jar. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Charset cs = Charset.defaultCharset();
    PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, cs), true);
    PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, cs), true);
    int code = Cli.newCommandLine(out, err).execute(args);
    out.flush();
    err.flush();
    System.exit(code);
  }
}
