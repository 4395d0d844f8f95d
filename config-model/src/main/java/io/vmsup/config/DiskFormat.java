package io.vmsup.config;

/** Image format of a disk: JSON {@code raw} or {@code qcow2}. */
public enum DiskFormat { RAW, QCOW2 }
