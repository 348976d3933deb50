package org.acme.healthcare.organization;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.transaction.Transactional;

import org.acme.healthcare.audit.Audit.Action;
import org.acme.healthcare.audit.Audit.RecordType;
import org.acme.healthcare.audit.AuditEvent;
import org.acme.healthcare.audit.AuditLog;
import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.Etags;
import org.acme.healthcare.common.PageParams;

import io.quarkus.arc.Unremovable;

/**
 * Organizations, their members and invitations. Every access check reads the memberships table
 * ({@link OrganizationAccess}); every change is audited in its own transaction as a change of the
 * organization ({@code recordType: organization}, with its {@code organizationId}).
 * <p>
 * Every change that can take an admin away (a role change, a removal, leaving) and the delete lock
 * the organization's row ({@link Organization#lockForUpdate}) and check the caller's role again
 * before they count: two admins demoting or removing each other at once run one after the other,
 * and the second sees that it would leave none (409).
 */
@ApplicationScoped
public class OrganizationService {
    /** The backstops behind the checks below, for what a concurrent request changes in between. */
    @Produces
    @Unremovable
    static final ApiException.Constraints CONSTRAINTS = new ApiException.Constraints(Map.of(
            "memberships_pk", ApiException.conflict("You are already a member of this organization."),
            // An invitation accepted while its organization is deleted: the code is gone with it.
            "memberships_organization_fk", ApiException.notFound("Invitation"),
            "invitations_organization_fk", OrganizationAccess.notFound(),
            "memberships_user_fk", ApiException.unauthorized("The account behind this token no longer exists."),
            "organizations_created_by_fk", ApiException.unauthorized("The account behind this token no longer exists."),
            "invitations_created_by_fk", ApiException.unauthorized("The account behind this token no longer exists."),
            "invitations_accepted_by_fk", ApiException.unauthorized("The account behind this token no longer exists.")));

    /** 32 bytes: 256 bits, so a fast hash is enough to store it (as with refresh tokens). */
    static final int CODE_BYTES = 32;

    private final AuditLog audit;
    private final InvitationsConfig config;
    private final SecureRandom random = new SecureRandom();

    OrganizationService(AuditLog audit, InvitationsConfig config) {
        this.audit = audit;
        this.config = config;
    }

    /** A new invitation and its code, which exists nowhere else: only its hash is stored. */
    public record IssuedInvitation(Invitation invitation, String code) {
    }

    /** The caller becomes its first admin in the same transaction. */
    @Transactional
    public Organization.WithRole create(long callerId, OrganizationRequest request) {
        Organization o = new Organization();
        o.createdBy = callerId;
        request.name().ifGiven(v -> o.name = v.strip());
        o.persistAndFlush();
        Membership m = new Membership();
        m.organizationId = o.id;
        m.userId = callerId;
        m.role = OrgRole.ADMIN;
        m.persistAndFlush();
        audit.changed(Action.CREATE, RecordType.ORGANIZATION, o.id, o.id, Map.of("userId", callerId, "role", OrgRole.ADMIN.word()));
        return new Organization.WithRole(o, OrgRole.ADMIN);
    }

    public Organization.WithRole read(long id, long callerId) {
        OrgRole role = OrganizationAccess.member(id, callerId);
        Organization o = Organization.<Organization> findByIdOptional(id).orElseThrow(OrganizationAccess::notFound);
        return new Organization.WithRole(o, role);
    }

    public List<Organization.WithRole> list(long callerId, PageParams page) {
        return Organization.listOf(callerId, page);
    }

    /** A rename; with If-Match, a stale version is 412 and nothing changes. */
    @Transactional
    public Organization.WithRole update(long id, long callerId, String ifMatch, OrganizationRequest request) {
        OrgRole role = OrganizationAccess.admin(id, callerId);
        Organization o = Organization.<Organization> findByIdOptional(id).orElseThrow(OrganizationAccess::notFound);
        Etags.checkIfMatch(ifMatch, o.version);
        String name = request.name().isGiven() ? request.name().orNull().strip() : o.name;
        if (!name.equals(o.name)) {
            o.name = name;
            o.flush();
            audit.changed(Action.UPDATE, RecordType.ORGANIZATION, id, id, null);
        }
        return new Organization.WithRole(o, role);
    }

    /**
     * Refused (409) while it holds patients or mappings. The row is locked first ({@code FOR UPDATE}),
     * so a patient inserted meanwhile waits in its foreign key check and then fails, rather than
     * slipping in between the count and the delete. Members and invitations go with it.
     */
    @Transactional
    public void delete(long id, long callerId, String ifMatch) {
        lockAsAdmin(id, callerId);
        Organization o = Organization.<Organization> findByIdOptional(id).orElseThrow(OrganizationAccess::notFound);
        Etags.checkIfMatch(ifMatch, o.version);
        if (Organization.holdsRecords(id)) {
            throw ApiException.conflict("The organization still holds patients; move or delete them first.");
        }
        audit.changed(Action.DELETE, RecordType.ORGANIZATION, id, id, null);
        o.delete();
        o.flush();
    }

    @Transactional
    public IssuedInvitation invite(long id, long callerId, OrgRole role) {
        OrganizationAccess.admin(id, callerId);
        byte[] bytes = new byte[CODE_BYTES];
        random.nextBytes(bytes);
        String code = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Invitation i = new Invitation();
        i.organizationId = id;
        i.codeHash = hash(code);
        i.role = role;
        i.createdBy = callerId;
        i.expiresAt = Instant.now().plus(config.lifetime());
        i.persistAndFlush();
        audit.changed(Action.INVITE, RecordType.ORGANIZATION, id, id, Map.of("invitationId", i.id, "role", role.word()));
        return new IssuedInvitation(i, code);
    }

    /**
     * Spends the code and makes the caller a member with its role. The invitation's row is locked
     * before it is checked, so of two accepts of one code exactly one succeeds. An unknown, used or
     * expired code is the same 404; a caller who is already a member gets 409 and the code stays
     * unused (the transaction rolls back).
     */
    @Transactional
    public Membership accept(long callerId, String code) {
        Invitation i = Invitation.lockByCodeHash(hash(code)).filter(inv -> inv.isOpen(Instant.now()))
                .orElseThrow(() -> ApiException.notFound("Invitation"));
        if (Membership.roleOf(i.organizationId, callerId).isPresent()) {
            throw ApiException.conflict("You are already a member of this organization.");
        }
        Membership m = new Membership();
        m.organizationId = i.organizationId;
        m.userId = callerId;
        m.role = i.role;
        m.persist();
        i.acceptedBy = callerId;
        i.acceptedAt = Instant.now();
        Membership.flush();
        audit.changed(Action.JOIN, RecordType.ORGANIZATION, i.organizationId, i.organizationId,
                Map.of("userId", callerId, "role", i.role.word(), "invitationId", i.id));
        return m;
    }

    public List<Membership.Member> members(long id, long callerId, PageParams page) {
        OrganizationAccess.member(id, callerId);
        return Membership.members(id, page);
    }

    /** Demoting the last admin is 409; see the class comment for why it cannot race. */
    @Transactional
    public Membership.Member changeRole(long id, long callerId, long userId, OrgRole role) {
        lockAsAdmin(id, callerId);
        Membership m = Membership.find(id, userId).orElseThrow(() -> ApiException.notFound("Member"));
        OrgRole before = m.role;
        if (before != role) {
            if (before == OrgRole.ADMIN && Membership.countAdmins(id) <= 1) {
                throw ApiException.conflict("The last admin of the organization cannot be demoted.");
            }
            m.role = role;
            m.flush();
            audit.changed(Action.ROLE_CHANGE, RecordType.ORGANIZATION, id, id,
                    Map.of("userId", userId, "role", Map.of("before", before.word(), "after", role.word())));
        }
        return Membership.member(id, userId).orElseThrow(() -> ApiException.notFound("Member"));
    }

    /**
     * An admin removes a member, or a member leaves (removes itself). The last admin can do
     * neither (409); see the class comment for why it cannot race.
     */
    @Transactional
    public void remove(long id, long callerId, long userId) {
        boolean leaving = callerId == userId;
        if (leaving) {
            OrganizationAccess.member(id, callerId);
            lock(id);
        } else {
            lockAsAdmin(id, callerId);
        }
        Membership m = Membership.find(id, userId)
                .orElseThrow(() -> leaving ? OrganizationAccess.notFound() : ApiException.notFound("Member"));
        if (m.role == OrgRole.ADMIN && Membership.countAdmins(id) <= 1) {
            throw ApiException.conflict(leaving ? "The last admin of the organization cannot leave it."
                    : "The last admin of the organization cannot be removed.");
        }
        m.delete();
        m.flush();
        audit.changed(leaving ? Action.LEAVE : Action.REMOVE, RecordType.ORGANIZATION, id, id,
                Map.of("userId", userId, "role", m.role.word()));
    }

    /** The organization's audit events (admins only). */
    public AuditEvent.Page audit(long id, long callerId, AuditEvent.Filter filter, PageParams page) {
        OrganizationAccess.admin(id, callerId);
        return AuditEvent.search(filter.inOrganization(id), page);
    }

    /**
     * Checks cheaply that the caller is an admin (a non-member never takes the lock), locks the
     * organization, and checks again: a demotion of the caller that committed meanwhile counts.
     */
    private static void lockAsAdmin(long id, long callerId) {
        OrganizationAccess.admin(id, callerId);
        lock(id);
        OrganizationAccess.admin(id, callerId);
    }

    private static void lock(long id) {
        if (!Organization.lockForUpdate(id)) {
            throw OrganizationAccess.notFound();
        }
    }

    /** SHA-256, hex: the code is 256 random bits, so a fast hash is enough. */
    static String hash(String code) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
