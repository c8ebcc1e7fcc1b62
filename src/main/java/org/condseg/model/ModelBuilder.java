package org.condseg.model;

import org.condseg.nn.GraphMode;

/** Builds one registered network. */
@FunctionalInterface
public interface ModelBuilder {
    BuiltModel build(ModelConfig cfg, GraphMode mode, boolean withAux);
}
