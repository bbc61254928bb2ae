package dev.sluice.proxy.admin;

/** Sluice's version, as the API and the command line report it. */
public final class Versions {
    public static final String SLUICE = "0.1.0";

    private Versions() {}
}
