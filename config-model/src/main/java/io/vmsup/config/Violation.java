package io.vmsup.config;

/**
 * One problem found in a VM spec.
 *
 * @param path    the JSON path of the offending value, e.g. {@code devices[2].file}; {@code ""} for the document root
 * @param message what is wrong and what is allowed
 */
public record Violation(String path, String message) {

  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
