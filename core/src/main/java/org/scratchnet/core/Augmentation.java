package org.scratchnet.core;

import java.util.Locale;

/**
 * Which random transformations {@link AugmentedBatchSource} applies to each training image: a shift by whole pixels,
 * dx and dy each uniform in {@code [−maxShift, maxShift]}, and, when {@code maxRotationDegrees > 0}, a rotation by an
 * angle uniform in {@code [−maxRotationDegrees, maxRotationDegrees)} about the image centre. {@link #NONE} leaves
 * images as they are.
 *
 * <p>Written and read as text by {@link #describe()} and {@link #parse(String)}: {@code none}, {@code shift:2},
 * {@code rotate:10}, {@code shift:2,rotate:10}.
 *
 * @param maxShift           largest shift in pixels along each axis, &gt;= 0
 * @param maxRotationDegrees largest rotation in degrees, in [0, 180]
 */
public record Augmentation(int maxShift, double maxRotationDegrees) {

    /** No transformation. */
    public static final Augmentation NONE = new Augmentation(0, 0);

    /** @throws IllegalArgumentException if a value is out of range */
    public Augmentation {
        if (maxShift < 0) {
            throw new IllegalArgumentException("the shift must be >= 0 pixels, got " + maxShift);
        }
        if (!(maxRotationDegrees >= 0 && maxRotationDegrees <= 180)) {
            throw new IllegalArgumentException("the rotation must be in [0, 180] degrees, got " + maxRotationDegrees);
        }
    }

    /** Shifts of up to {@code maxShift} pixels along each axis, no rotation. */
    public static Augmentation shift(int maxShift) {
        return new Augmentation(maxShift, 0);
    }

    /** Whether this transforms nothing. */
    public boolean isNone() {
        return maxShift == 0 && maxRotationDegrees == 0;
    }

    /** Whether images are rotated (and then resampled bilinearly), not only shifted by whole pixels. */
    public boolean rotates() {
        return maxRotationDegrees > 0;
    }

    /** e.g. {@code shift:2,rotate:10}, or {@code none}; {@link #parse} reads it back. */
    public String describe() {
        if (isNone()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        if (maxShift > 0) {
            sb.append("shift:").append(maxShift);
        }
        if (rotates()) {
            sb.append(sb.length() > 0 ? "," : "").append("rotate:").append(number(maxRotationDegrees));
        }
        return sb.toString();
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /**
     * Reads {@code none} or a comma-separated list of {@code shift:PIXELS} and {@code rotate:DEGREES}, each at most
     * once (e.g. {@code shift:2}, {@code shift:2,rotate:10}).
     *
     * @throws IllegalArgumentException with a one-line message saying what was expected and what was found
     */
    public static Augmentation parse(String text) {
        String expected = "none, shift:PIXELS, rotate:DEGREES or both (e.g. shift:2,rotate:10)";
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("expected " + expected + ", found nothing");
        }
        String spec = text.trim().toLowerCase(Locale.ROOT);
        if (spec.equals("none")) {
            return NONE;
        }
        Integer shift = null;
        Double rotate = null;
        for (String item : spec.split(",", -1)) {
            int colon = item.indexOf(':');
            String name = colon < 0 ? item.trim() : item.substring(0, colon).trim();
            String value = colon < 0 ? "" : item.substring(colon + 1).trim();
            if (name.equals("shift") && shift == null && !value.isEmpty()) {
                try {
                    shift = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("expected a whole number of pixels after shift:, found '"
                            + value + "'");
                }
            } else if (name.equals("rotate") && rotate == null && !value.isEmpty()) {
                try {
                    rotate = Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("expected degrees after rotate:, found '" + value + "'");
                }
                if (!Double.isFinite(rotate)) {
                    throw new IllegalArgumentException("expected degrees after rotate:, found '" + value + "'");
                }
            } else {
                throw new IllegalArgumentException("expected " + expected + ", found '" + text.trim() + "'");
            }
        }
        return new Augmentation(shift == null ? 0 : shift, rotate == null ? 0 : rotate);
    }
}
