package io.vmsup.config.impl;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmsup.config.JsonSyntaxException;
import io.vmsup.config.SpecResult;
import io.vmsup.config.Violation;
import java.util.List;
import java.util.Optional;

/** JSON text → {@link SpecResult}: syntax, then fields, then cross-field rules; never throws on bad input. */
public final class SpecParser {

  private SpecParser() {
  }

  public static SpecResult parse(String json) {
    if (json == null || json.isBlank()) {
      return new SpecResult.Invalid(List.of(new Violation("", "the spec is empty; expected a JSON object")));
    }
    JsonNode root;
    try {
      root = StrictJsonParser.readTree(json);
    } catch (JsonSyntaxException e) {
      return new SpecResult.Invalid(List.of(new Violation("", e.getMessage())));
    }
    Problems problems = new Problems();
    Optional<TopParser.Draft> draft = Obj.of(root, "", problems).map(TopParser::parse);
    draft.ifPresent(d -> SpecValidator.validate(d, problems));
    if (!problems.isEmpty() || draft.isEmpty()) {
      return new SpecResult.Invalid(problems.list());
    }
    return new SpecResult.Valid(draft.get().spec());
  }

}
