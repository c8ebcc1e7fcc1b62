package org.condseg.data;

/** The three splits a reader can list. A dataset without its own test split answers its val split for test. */
public enum Split {
    train,
    val,
    test
}
