package io.vmsup.config;

/**
 * A default property for every device of one driver: {@code -global driver=D,property=P,value=V}.
 *
 * @param driver   device driver name, e.g. {@code ICH9-LPC}
 * @param property property name, e.g. {@code disable_s3}
 * @param value    value text (commas are escaped by the renderer)
 */
public record GlobalProperty(String driver, String property, String value) {
}
