package org.condseg.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.condseg.nn.SessionMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Arrays over memory nobody zero-fills: made only where they apply, usable, freed once. */
class UnfilledArraysTest {
    @AfterEach
    void clear() {
        System.clearProperty(UnfilledArrays.PROPERTY);
    }

    @Test
    void onlyLargeFloatArraysAreMadeHereAndTheyWorkLikeAnyOther() {
        assertTrue(UnfilledArrays.enabled(), "on by default on the CPU backend");
        assertNull(UnfilledArrays.create(DataType.FLOAT, 'c', new long[] {4, 4}), "small: left to ND4J");
        assertNull(UnfilledArrays.create(DataType.INT32, 'c', new long[] {256, 256}), "not float: left to ND4J");
        System.setProperty(UnfilledArrays.PROPERTY, "false");
        assertNull(UnfilledArrays.create(DataType.FLOAT, 'c', new long[] {256, 256}), "switched off");
        System.clearProperty(UnfilledArrays.PROPERTY);

        INDArray a = UnfilledArrays.create(DataType.FLOAT, 'c', new long[] {2, 3, 128, 128});
        assertNotNull(a);
        assertEquals(java.util.List.of(2L, 3L, 128L, 128L), java.util.Arrays.stream(a.shape()).boxed().toList());
        a.assign(Nd4j.linspace(DataType.FLOAT, 1, a.length(), 1).reshape(a.shape()));
        double n = a.length();
        assertEquals(n * (n + 1) / 2.0, a.sumNumber().doubleValue(), 1e-5 * n * n);
        assertEquals(7.0, a.getFloat(0, 0, 0, 6), 0.0);
        int before = UnfilledArrays.outstanding();
        assertTrue(UnfilledArrays.close(a));
        assertTrue(a.wasClosed());
        assertEquals(before - 1, UnfilledArrays.outstanding(), "freed at once");
        assertFalse(UnfilledArrays.close(a), "a second close does nothing");
        INDArray own = Nd4j.ones(DataType.FLOAT, 256, 256);
        assertFalse(UnfilledArrays.close(own), "ND4J's own arrays are not closed here");
        assertFalse(own.wasClosed());
    }

    @Test
    void poisonFillsEveryFloatArrayWithNaNs() {
        System.setProperty(UnfilledArrays.PROPERTY, "poison");
        INDArray a = UnfilledArrays.create(DataType.FLOAT, 'c', new long[] {3, 5});
        assertNotNull(a, "poison: small arrays too");
        for (int i = 0; i < a.length(); i++) {
            assertTrue(Float.isNaN(a.getFloat(i)), "element " + i);
        }
        SessionMemory.closeArray(a);
        assertTrue(a.wasClosed());
    }

    @Test
    void anArrayNobodyClosesIsFreedWhenCollected() throws InterruptedException {
        int before = UnfilledArrays.outstanding();
        for (int i = 0; i < 8; i++) {
            assertNotNull(UnfilledArrays.create(DataType.FLOAT, 'c', new long[] {512, 512}));
        }
        assertTrue(UnfilledArrays.outstanding() >= before + 8);
        for (int i = 0; i < 50 && UnfilledArrays.outstanding() > before; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(UnfilledArrays.outstanding() <= before, UnfilledArrays.outstanding() + " left, " + before
                + " before");
    }
}
