package org.acme.healthcare.patient;

import org.acme.healthcare.common.ApiException;

/** {@code ?sort=name|createdAt|-createdAt}; the id breaks ties so pages never overlap. */
public enum PatientSort {
    NAME("name", "lower(name), id"),
    CREATED_AT("createdAt", "createdAt, id"),
    CREATED_AT_DESC("-createdAt", "createdAt desc, id desc");

    public static final String PATTERN = "name|createdAt|-createdAt";

    final String param;
    final String orderBy;

    PatientSort(String param, String orderBy) {
        this.param = param;
        this.orderBy = orderBy;
    }

    public static PatientSort parse(String param) {
        if (param == null || param.isEmpty()) {
            return CREATED_AT;
        }
        for (PatientSort s : values()) {
            if (s.param.equals(param)) {
                return s;
            }
        }
        throw ApiException.invalidField("sort", "must be one of name, createdAt, -createdAt");
    }
}
