package io.vmsup.config;

import java.util.Optional;

/**
 * A firmware configuration item: {@code -fw_cfg name=opt/...,file=...} or {@code ...,string=...}; exactly one of
 * {@code file} and {@code string}.
 *
 * @param name   item name, must start with {@code opt/}, at most 55 characters
 * @param file   absolute path of a file whose content is the item
 * @param string literal content
 */
public record FwCfgEntry(String name, Optional<String> file, Optional<String> string) {
}
