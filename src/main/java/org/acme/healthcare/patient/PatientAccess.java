package org.acme.healthcare.patient;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.acme.healthcare.common.PageParams;
import org.hibernate.Session;
import org.hibernate.query.NativeQuery;
import org.hibernate.type.StandardBasicTypes;

/**
 * Who may read and who may write a patient record: the one access rule, in SQL, in this class.
 * Every route that touches a patient (REST, history, mappings, FHIR, break-glass, the audit's
 * organization) decides with these queries; nothing decides with an {@code if} after loading.
 *
 * <ul>
 * <li>A personal record (no organization): its owner reads and writes it; a platform admin reads it.</li>
 * <li>A record of an organization: its members read it, its admins and clinicians write it; a
 * restricted one only its creator and the organization's admins read and write, and a member
 * (or a platform admin) holding a live break-glass grant reads it.</li>
 * <li>A platform admin who is not a member reads any record that is not restricted, never writes
 * it (part 1: another user's record is 404 to a change).</li>
 * </ul>
 * Memberships and grants are read on every call, never cached, so a removal, a role change or an
 * expired grant holds on every replica as soon as it is committed. Lists never show a restricted
 * record to whoever needs break-glass for it: a grant opens single reads only.
 * <p>
 * <b>System clients</b> (SMART Backend Services, client/): a system client calls as the negative of
 * its row id ({@code CurrentUser.SystemCaller#accessId}, so never a user's id). It reads every
 * record of its client's organization, restricted ones included (an export is not a person
 * browsing), as {@link Level#READ}, and nothing else; it never writes (its routes only read). The
 * client's row is read with the records, so a revoked client reads nothing once the revocation has
 * committed, on every replica. {@link #readableBy} gives the scope of what a caller may read, for
 * lists and exports.
 */
public final class PatientAccess {
    private PatientAccess() {
    }

    /** What the caller may do with one record. */
    public enum Level {
        /** No such record, or one the caller may not know exists: 404. */
        NONE,
        /** A platform admin outside the record's space: reads (404 to a change). */
        PLATFORM,
        /** A platform admin outside the space, on a restricted record: 403 break-glass-required (404 to a change). */
        PLATFORM_RESTRICTED,
        /** A member who may not read this restricted record: 403 break-glass-required (403 to a change). */
        RESTRICTED,
        /** Reads under a live break-glass grant, each audited with its reason; 403 to a change. */
        BREAK_GLASS,
        /** A reader of the organization: reads; 403 to a change. */
        READ,
        /** The owner, or an admin or clinician of the organization. */
        WRITE;

        public boolean readable() {
            return this == PLATFORM || this == BREAK_GLASS || this == READ || this == WRITE;
        }

        /** The caller may learn that the record exists (a change it may not make is 403, not 404). */
        public boolean member() {
            return this == RESTRICTED || this == BREAK_GLASS || this == READ || this == WRITE;
        }
    }

    /** A record with the caller's access to it, and the reason of the grant a BREAK_GLASS read goes under. */
    public record Found(Patient patient, Level level, String grantReason) {
    }

    /** The space a record of the history lived in, with the caller's access to it. */
    public record Space(Long organizationId, Level level, String grantReason) {
    }

    /**
     * The caller's access to the record in row {@code p} (id, owner_id, organization_id,
     * restricted) given {@code g}, the caller's live grant on it (joined by {@link #LIVE_GRANT}).
     * The membership probe is the memberships primary key.
     */
    private static final String LEVEL = """
            case
              when :caller < 0 then
                case when p.organization_id = (select c.organization_id from system_clients c
                                                where c.id = -:caller and c.revoked_at is null)
                     then 'READ' else 'NONE' end
              when p.organization_id is null then
                case when p.owner_id = :caller then 'WRITE' when :admin then 'PLATFORM' else 'NONE' end
              else coalesce(
                (select case
                          when m.role = 'admin' or not p.restricted or p.owner_id = :caller
                            then case when m.role = 'reader' then 'READ' else 'WRITE' end
                          when g.reason is not null then 'BREAK_GLASS'
                          else 'RESTRICTED' end
                   from memberships m where m.organization_id = p.organization_id and m.user_id = :caller),
                case when not :admin then 'NONE'
                     when not p.restricted then 'PLATFORM'
                     when g.reason is not null then 'BREAK_GLASS'
                     else 'PLATFORM_RESTRICTED' end)
            end""";

    /** The caller's live break-glass grant on {@code p}; probed only for a restricted record. */
    private static final String LIVE_GRANT = """
             left join lateral (select gr.reason from break_glass_grants gr
                                 where p.restricted and gr.patient_id = p.id and gr.user_id = :caller
                                   and gr.expires_at > now()
                                 order by gr.expires_at desc limit 1) g on true""";

    private static final String READ = "select p.*, " + LEVEL + " as access, g.reason as grant_reason from patients p "
            + LIVE_GRANT + " where p.id = :id";

    /** The record's row stays locked against other writers until the transaction ends. */
    private static final String WRITE = READ + " for no key update of p";

    /** The space of the newest revision: where a record lives, or lived when it was deleted. */
    private static final String HISTORY = "select p.organization_id, " + LEVEL + " as access, g.reason as grant_reason"
            + " from (select h.id, h.owner_id, h.organization_id, coalesce(h.restricted, false) as restricted"
            + "       from patients_history h where h.id = :id order by h.rev desc limit 1) p " + LIVE_GRANT;

    /** A member of the organization with this role may read its unrestricted records, and restricted ones as their creator or an admin. */
    private static final String MEMBER_SEES = "(not p.restricted or p.owner_id = :caller or m.role = 'admin')";

    /** The records the caller may read in lists and searches: personal ones, and those of every organization it belongs to. */
    private static final String MINE = "select p.* from patients p where p.organization_id is null and p.owner_id = :caller"
            + " union all select p.* from patients p join memberships m"
            + " on m.organization_id = p.organization_id and m.user_id = :caller where " + MEMBER_SEES;

    /** The records of one organization the caller, a member, may read. */
    private static final String ONE_ORGANIZATION = "select p.* from patients p join memberships m"
            + " on m.organization_id = p.organization_id and m.user_id = :caller where p.organization_id = :organization and "
            + MEMBER_SEES;

    /** A system client's records: every one of its organization while it is not revoked ({@code :caller} is its negative row id). */
    private static final String CLIENTS = "select p.* from patients p where p.organization_id = (select c.organization_id"
            + " from system_clients c where c.id = -:caller and c.revoked_at is null)";

    /** A platform admin's {@code scope=all}: every record but the restricted ones it would need break-glass for. */
    private static final String EVERYONES = "select p.* from patients p where not p.restricted or p.owner_id = :caller"
            + " or exists (select 1 from memberships m where m.organization_id = p.organization_id and m.user_id = :caller"
            + " and m.role = 'admin')";

    /** The caller's role in an organization: null when not a member. */
    private static final String ROLE = "select role from memberships where organization_id = :organization and user_id = :caller";

    /**
     * Who may read a record's access report (contract, "Audit you can prove"): its owner (for an
     * organization's record: its creator while still a member), its organization's admins and a
     * platform admin: {@code REPORT}; any other member
     * of its organization: {@code MEMBER} (403); anyone else, or no such record: {@code NONE}
     * (404). Narrower than the readers: a clinician or reader of the organization may see the
     * record but not who else did. A deleted record is judged by its newest revision, so its
     * accounting of disclosures outlives it.
     */
    private static final String REPORT = """
            select case
                     when p.organization_id is null and p.owner_id = :caller then 'REPORT'
                     when p.organization_id is not null and exists (select 1 from memberships m
                          where m.organization_id = p.organization_id and m.user_id = :caller
                            and (m.role = 'admin' or p.owner_id = :caller)) then 'REPORT'
                     when :admin then 'REPORT'
                     when p.organization_id is not null and exists (select 1 from memberships m
                          where m.organization_id = p.organization_id and m.user_id = :caller) then 'MEMBER'
                     else 'NONE' end
              from (select id, owner_id, organization_id from patients where id = :id
                    union all
                    select * from (select h.id, h.owner_id, h.organization_id from patients_history h
                                    where h.id = :id order by h.rev desc limit 1) h
                     where not exists (select 1 from patients where id = :id)) p""";

    /** What the caller may do with a record's access report. */
    public enum ReportAccess {
        NONE, MEMBER, REPORT
    }

    public static ReportAccess report(long id, long caller, boolean admin) {
        NativeQuery<?> q = session().createNativeQuery(REPORT);
        bind(q, caller, admin).setParameter("id", id);
        @SuppressWarnings("unchecked")
        List<String> rows = (List<String>) q.getResultList();
        return rows.isEmpty() ? ReportAccess.NONE : ReportAccess.valueOf(rows.get(0));
    }

    /** The caller's access to one record (no lock). */
    public static Optional<Found> read(long id, long caller, boolean admin) {
        return found(READ, id, caller, admin);
    }

    /**
     * The caller's access to one record, for a change. The record's organization row is taken
     * {@code FOR KEY SHARE} before the access is decided: a membership change locks that row
     * {@code FOR UPDATE}, so it waits for this transaction, and this one decides after it has
     * committed. A role change or removal therefore never lands between this decision and its write.
     */
    public static Optional<Found> forWrite(long id, long caller, boolean admin) {
        Long organization = organizationOf(id);
        if (organization != null) {
            lockOrganization(organization);
        }
        Optional<Found> found = found(WRITE, id, caller, admin);
        // Moved into an organization between the two reads: decide again under that organization's lock.
        if (found.isPresent() && found.get().patient().organizationId != null
                && !found.get().patient().organizationId.equals(organization)) {
            lockOrganization(found.get().patient().organizationId);
            found = found(WRITE, id, caller, admin);
        }
        return found;
    }

    /** The space of the record's newest revision and the caller's access to it; empty when it has no history. */
    public static Optional<Space> history(long id, long caller, boolean admin) {
        NativeQuery<?> q = session().createNativeQuery(HISTORY, Object[].class);
        bind(q, caller, admin).setParameter("id", id);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = (List<Object[]>) q.getResultList();
        return rows.stream().findFirst().map(r -> new Space((Long) r[0], Level.valueOf((String) r[1]), (String) r[2]));
    }

    /**
     * The caller's role in an organization ({@code admin}, {@code clinician}, {@code reader}),
     * with the organization's row taken {@code FOR KEY SHARE} when {@code forChange}: a patient
     * created in or moved into it is decided after, and never between, membership changes.
     */
    public static Optional<String> role(long organization, long caller, boolean forChange) {
        if (forChange && !lockOrganization(organization)) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        List<String> roles = Patient.getEntityManager().createNativeQuery(ROLE)
                .setParameter("organization", organization).setParameter("caller", caller).getResultList();
        return roles.stream().findFirst();
    }

    /** Which records a list or search covers. */
    public sealed interface Scope {
        /** Personal records and those of every organization the caller belongs to. */
        record Mine() implements Scope {
        }

        /** One organization's records (the caller is a member: checked with {@link #role} first). */
        record Organization(long id) implements Scope {
        }

        /** Every user's records (a platform admin's {@code scope=all}). */
        record Everyone() implements Scope {
        }

        /** A system client's: every record of its organization (the caller is the client's negative row id). */
        record SystemClient() implements Scope {
        }
    }

    /**
     * Everything the caller may list: a user's personal records and those of its organizations
     * ({@link Scope.Mine}), or a system client's organization's records ({@link Scope.SystemClient}).
     * With {@link #ids}, {@link #list} and {@link #count}, the one way to ask "which patients may this
     * caller read" (exports use it).
     */
    public static Scope readableBy(long caller) {
        return caller < 0 ? new Scope.SystemClient() : new Scope.Mine();
    }

    /** A user's "mine" is a system client's organization: the same question for either caller. */
    private static Scope forCaller(Scope scope, long caller) {
        return caller < 0 && scope instanceof Scope.Mine ? new Scope.SystemClient() : scope;
    }

    /** Extra conditions on {@code p} and their parameters (name contains, FHIR's name and gender). */
    public record Filter(String where, Map<String, Object> params) {
        public static final Filter NONE = new Filter(null, Map.of());

        /** The records with this identifier (patient_identifiers' lookup index; V15). */
        public static Filter identifier(String system, String value) {
            return new Filter("p.id in (select i.patient_id from patient_identifiers i where i.system = :idSystem"
                    + " and i.value = :idValue)", Map.of("idSystem", system, "idValue", value));
        }

        /** Both filters; their parameter names must differ. */
        public Filter and(Filter other) {
            if (other.where == null) {
                return this;
            }
            if (where == null) {
                return other;
            }
            Map<String, Object> both = new java.util.HashMap<>(params);
            both.putAll(other.params);
            return new Filter("(" + where + ") and (" + other.where + ")", Map.copyOf(both));
        }
    }

    /** One page of the records the caller may read in this scope, in this order ({@link #order}). */
    @SuppressWarnings("unchecked")
    public static List<Patient> list(Scope given, long caller, Filter filter, String order, int offset, int limit) {
        Scope scope = forCaller(given, caller);
        // Native queries here name no result class (entities through addEntity, scalars read as
        // Number): given one, Hibernate builds a plan-cache key that never matches again and puts a
        // new plan into its shared, locked cache on every call; workers queued on that lock under
        // load (issue 19's bench; QueryPlanCacheTest).
        String sql = (scope instanceof Scope.Mine ? mineTopN(filter, order)
                : "select * from (" + set(scope) + ") p" + where(filter) + " order by " + order)
                + " limit :pageSize offset :pageOffset";
        var q = session().createNativeQuery(sql).addEntity(Patient.class);
        bind(q, scope, caller, filter);
        if (scope instanceof Scope.Mine) {
            q.setParameter("topN", (long) offset + limit);
        }
        return q.setParameter("pageSize", limit).setParameter("pageOffset", offset).getResultList();
    }

    public static long count(Scope given, long caller, Filter filter) {
        Scope scope = forCaller(given, caller);
        String sql = scope instanceof Scope.Mine ? mineCount(filter)
                : "select count(*) from (" + set(scope) + ") p" + where(filter);
        var q = Patient.getEntityManager().createNativeQuery(sql);
        bind(q, scope, caller, filter);
        return ((Number) q.getSingleResult()).longValue();
    }

    /**
     * {@link #MINE} for one page: each space (the personal one, then each membership through a
     * lateral join) gives only its first {@code :topN} rows in the page's order, read in index
     * order, and the page is cut from their union. Flat in the size of the caller's organizations:
     * a page of a 100,000-patient clinic reads about a page of rows, not the whole clinic. The
     * access condition is {@link #MEMBER_SEES}, as in {@link #MINE}; the count stays {@link #count}'s.
     */
    private static String mineTopN(Filter filter, String order) {
        String and = filter.where() == null ? "" : " and " + filter.where();
        return "select * from ((select p.* from patients p where p.organization_id is null and p.owner_id = :caller" + and
                + " order by " + order + " limit :topN)"
                + " union all (select p.* from memberships m cross join lateral (select p.* from patients p"
                + " where p.organization_id = m.organization_id and " + MEMBER_SEES + and
                + " order by " + order + " limit :topN) p where m.user_id = :caller)) p order by " + order;
    }

    /**
     * {@link #MINE}'s count with the filter inside each space, as {@link #mineTopN} has it. On
     * the union PostgreSQL pushes plain conditions down but not a sub-select (the identifier's
     * {@code p.id in (select ... from patient_identifiers ...)}): it read every record the caller
     * may read and joined them to the identifier, so a FHIR search by identifier cost as many
     * rows as the caller's organizations hold (issue 20's bench). Inside each space the identifier
     * is a lookup, and a birth date range an index range (V16).
     */
    private static String mineCount(Filter filter) {
        String and = filter.where() == null ? "" : " and (" + filter.where() + ")";
        return "select count(*) from (select p.id from patients p where p.organization_id is null and p.owner_id = :caller"
                + and + " union all select p.id from patients p join memberships m"
                + " on m.organization_id = p.organization_id and m.user_id = :caller where " + MEMBER_SEES + and + ") p";
    }

    /** The SQL order of a list's {@code sort} parameter ({@link PageParams#SORTS}); ties broken by id. */
    public static String order(String sort) {
        if (sort == null || sort.equals("createdAt")) {
            return "p.created_at, p.id";
        }
        if (sort.equals("-createdAt")) {
            return "p.created_at desc, p.id desc";
        }
        if (sort.equals("name")) {
            return "lower(p.name), p.id";
        }
        throw new IllegalArgumentException("unknown sort " + sort);
    }

    /**
     * The ids of the records the caller may read in the scope, as SQL (parameters bound by
     * {@link #bind(jakarta.persistence.Query, Scope, long)}): for lists of what belongs to patients
     * (mappings, exports). For a system client pass {@link #readableBy} or {@link Scope.SystemClient}.
     */
    public static String ids(Scope scope) {
        return "select p.id from (" + set(scope) + ") p";
    }

    public static void bind(jakarta.persistence.Query q, Scope scope, long caller) {
        bind(q, scope, caller, Filter.NONE);
    }

    private static String set(Scope scope) {
        if (scope instanceof Scope.Organization) {
            return ONE_ORGANIZATION;
        }
        if (scope instanceof Scope.SystemClient) {
            return CLIENTS;
        }
        return scope instanceof Scope.Everyone ? EVERYONES : MINE;
    }

    private static String where(Filter filter) {
        return filter.where() == null ? "" : " where " + filter.where();
    }

    private static void bind(jakarta.persistence.Query q, Scope scope, long caller, Filter filter) {
        q.setParameter("caller", caller);
        if (scope instanceof Scope.Organization o) {
            q.setParameter("organization", o.id());
        }
        filter.params().forEach(q::setParameter);
    }

    private static Optional<Found> found(String sql, long id, long caller, boolean admin) {
        NativeQuery<?> q = session().createNativeQuery(sql, Object[].class)
                .addEntity("p", Patient.class)
                .addScalar("access", StandardBasicTypes.STRING)
                .addScalar("grant_reason", StandardBasicTypes.STRING);
        bind(q, caller, admin).setParameter("id", id);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = (List<Object[]>) q.getResultList();
        return rows.stream().findFirst()
                .map(r -> new Found((Patient) r[0], Level.valueOf((String) r[1]), (String) r[2]));
    }

    private static NativeQuery<?> bind(NativeQuery<?> q, long caller, boolean admin) {
        q.setParameter("caller", caller);
        q.setParameter("admin", admin);
        return q;
    }

    private static Long organizationOf(long id) {
        @SuppressWarnings("unchecked")
        List<Long> rows = Patient.getEntityManager()
                .createNativeQuery("select organization_id from patients where id = :id")
                .setParameter("id", id).getResultList();
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** {@code FOR KEY SHARE} on the organization's row; false when it does not exist. */
    private static boolean lockOrganization(long organization) {
        return !Patient.getEntityManager()
                .createNativeQuery("select 1 from organizations where id = :id for key share")
                .setParameter("id", organization).getResultList().isEmpty();
    }

    private static Session session() {
        return Patient.getEntityManager().unwrap(Session.class);
    }
}
