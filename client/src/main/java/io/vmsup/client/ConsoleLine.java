package io.vmsup.client;

/**
 * One complete line of a VM's first serial port.
 *
 * @param vm the VM
 * @param line the text, without its line end
 * @param offset the byte offset of its first byte in the VM's serial log
 */
public record ConsoleLine(String vm, String line, long offset) {
}
