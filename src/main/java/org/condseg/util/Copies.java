package org.condseg.util;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Deep copies of plain config and record objects (public fields), so that a derived variant never loses a field. */
public final class Copies {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Copies() {
    }

    @SuppressWarnings("unchecked")
    public static <T> T deep(T value) {
        return (T) JSON.convertValue(value, value.getClass());
    }
}
