package io.vmsup.config;

/**
 * JSON text that {@link StrictJson} refuses, with where (1-based line and column; 0 when unknown) and what, in plain
 * words (never a parser's internals).
 */
public final class JsonSyntaxException extends IllegalArgumentException {

  private final int line;
  private final int column;
  private final String reason;

  public JsonSyntaxException(int line, int column, String reason) {
    super((line > 0 ? "invalid JSON at line " + line + ", column " + column + ": " : "invalid JSON: ") + reason);
    this.line = line;
    this.column = column;
    this.reason = reason;
  }

  /** 1-based line of the problem, 0 when unknown. */
  public int line() {
    return line;
  }

  /** 1-based column of the problem, 0 when unknown. */
  public int column() {
    return column;
  }

  /** What is wrong, without the position. */
  public String reason() {
    return reason;
  }
}
