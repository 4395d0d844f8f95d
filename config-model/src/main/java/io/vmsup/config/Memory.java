package io.vmsup.config;

import java.util.OptionalInt;
import java.util.Optional;

/**
 * Guest RAM: {@code -m size=S[,slots=N,maxmem=M]}.
 *
 * @param size   boot RAM, a multiple of 1 MiB, default 128M
 * @param slots  DIMM hot-plug slots (needs {@code max})
 * @param max    maximum RAM including hot-plugged DIMMs (needs {@code slots})
 * @param shared back RAM with shareable memory ({@code memory-backend-memfd,share=on}); required by virtio-fs
 */
public record Memory(Size size, OptionalInt slots, Optional<Size> max, boolean shared) {
}
