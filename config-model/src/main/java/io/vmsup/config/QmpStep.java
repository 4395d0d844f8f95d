package io.vmsup.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One QMP command of a hot-plug plan.
 *
 * @param command   the QMP command name ({@code device_add}, {@code blockdev-add}, ...)
 * @param arguments its arguments, typed as QMP expects (numbers, booleans, nested objects for dotted keys)
 */
public record QmpStep(String command, Map<String, Object> arguments) {
  public QmpStep {
    arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
  }
}
