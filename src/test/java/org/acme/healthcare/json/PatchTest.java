package org.acme.healthcare.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.acme.healthcare.json.RequestBodies.Patch;
import org.junit.jupiter.api.Test;

/** The three states of a field in a partial update, and that none of them prints its value. */
class PatchTest {

    @Test
    void absentChangesNothing() {
        List<String> set = new ArrayList<>();
        Patch.<String> absent().ifGiven(set::add);
        assertTrue(set.isEmpty());
        assertFalse(Patch.absent().isGiven());
        assertNull(Patch.absent().orNull());
    }

    @Test
    void nullClears() {
        List<String> set = new ArrayList<>();
        Patch.<String> of(null).ifGiven(set::add);
        assertEquals(1, set.size());
        assertNull(set.get(0));
        assertTrue(Patch.of(null).isGiven());
    }

    @Test
    void aValueIsSet() {
        List<String> set = new ArrayList<>();
        Patch.of("Asthma").ifGiven(set::add);
        assertEquals(List.of("Asthma"), set);
        assertEquals("Asthma", Patch.of("Asthma").orNull());
    }

    @Test
    void toStringNeverPrintsTheValue() {
        assertFalse(Patch.of("Secret Disease").toString().contains("Secret"));
    }
}
