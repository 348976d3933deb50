package org.acme.healthcare.common;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;

import io.quarkus.hibernate.orm.panache.Panache;

/**
 * The filter of a list endpoint, shared by its page query and its count query. Every value is
 * a bound parameter; {@code ?q=} becomes a case-insensitive "contains" whose {@code %} and
 * {@code _} are escaped (served by the trigram indexes on {@code lower(column)}).
 */
public final class ListQuery {
    private final List<String> clauses = new ArrayList<>();
    private final Map<String, Object> params = new LinkedHashMap<>();

    public ListQuery where(String clause, String param, Object value) {
        clauses.add(clause);
        params.put(param, value);
        return this;
    }

    public ListQuery whereIf(boolean condition, String clause, String param, Object value) {
        return condition ? where(clause, param, value) : this;
    }

    /** Adds {@code (lower(a) like :q or lower(b) like :q)} when {@code q} has text. */
    public ListQuery contains(String q, String... fields) {
        if (q == null || q.isBlank()) {
            return this;
        }
        List<String> ors = new ArrayList<>();
        for (String field : fields) {
            ors.add("lower(" + field + ") like :q escape '!'");
        }
        clauses.add("(" + String.join(" or ", ors) + ")");
        params.put("q", "%" + escapeLike(q.strip().toLowerCase(Locale.ROOT)) + "%");
        return this;
    }

    public <T> List<T> page(Class<T> entity, String orderBy, PageParams page) {
        TypedQuery<T> query = em(entity).createQuery(
                "from " + entity.getSimpleName() + where() + " order by " + orderBy, entity);
        params.forEach(query::setParameter);
        return query.setFirstResult(page.offset()).setMaxResults(page.size).getResultList();
    }

    public long count(Class<?> entity) {
        TypedQuery<Long> query = em(entity).createQuery(
                "select count(*) from " + entity.getSimpleName() + where(), Long.class);
        params.forEach(query::setParameter);
        return query.getSingleResult();
    }

    private String where() {
        return clauses.isEmpty() ? "" : " where " + String.join(" and ", clauses);
    }

    private static EntityManager em(Class<?> entity) {
        return Panache.getEntityManager(entity);
    }

    static String escapeLike(String s) {
        return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
