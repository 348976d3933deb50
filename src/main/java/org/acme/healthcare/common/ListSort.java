package org.acme.healthcare.common;

/** {@code ?sort=name|createdAt|-createdAt}; the id breaks ties so pages never overlap. */
public enum ListSort {
    NAME("name", "lower(name), id"),
    CREATED_AT("createdAt", "createdAt, id"),
    CREATED_AT_DESC("-createdAt", "createdAt desc, id desc");

    public static final String PATTERN = "name|createdAt|-createdAt";

    final String param;
    public final String orderBy;

    ListSort(String param, String orderBy) {
        this.param = param;
        this.orderBy = orderBy;
    }

    public static ListSort parse(String param) {
        if (param == null || param.isEmpty()) {
            return CREATED_AT;
        }
        for (ListSort s : values()) {
            if (s.param.equals(param)) {
                return s;
            }
        }
        throw ApiException.invalidField("sort", "must be one of name, createdAt, -createdAt");
    }
}
