package org.acme.healthcare.user;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.cache.CacheInvalidate;
import io.quarkus.cache.CacheKey;
import io.quarkus.cache.CacheResult;

/** The current role of an account, or empty when the account no longer exists; cached briefly. */
@ApplicationScoped
public class AccountRoles {
    static final String CACHE = "account-roles";

    @CacheResult(cacheName = CACHE)
    @Transactional
    public Optional<String> roleOf(long userId) {
        return User.find("select u.role from User u where u.id = ?1", userId).project(String.class).firstResultOptional();
    }

    @CacheInvalidate(cacheName = CACHE)
    public void forget(@CacheKey long userId) {
        // the annotation does the work
    }
}
