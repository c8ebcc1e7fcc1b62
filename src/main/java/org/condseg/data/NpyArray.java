package org.condseg.data;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.condseg.util.UserError;

/**
 * One NumPy array read from the {@code .npy} format (version 1, 2 or 3): magic {@code \x93NUMPY}, version, a header
 * dict ({@code descr}, {@code fortran_order}, {@code shape}), then the raw data. Values are held as floats in C
 * (row-major) order whatever the stored type: float32/64, (u)int8/16/32/64 and bool, either byte order; a Fortran-
 * ordered array is reordered. Floats hold every integer label and 8-bit value exactly.
 *
 * @param shape the array's shape (empty for a scalar)
 * @param dtype the stored NumPy type string, e.g. {@code <f4}
 * @param data  the values, row-major, length = product of shape
 */
public record NpyArray(int[] shape, String dtype, float[] data) {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** Header fields and where the data starts. */
    record Header(int[] shape, String dtype, boolean fortran, int dataOffset) {
    }

    /** Number of elements. */
    public int size() {
        return data.length;
    }

    /** The values rounded to ints (labels). */
    public int[] toInts() {
        int[] out = new int[data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.round(data[i]);
        }
        return out;
    }

    /** Parses a whole .npy file's bytes; {@code source} names it in error messages. */
    public static NpyArray parse(byte[] bytes, String source) {
        Header h = header(bytes, source);
        long n = count(h.shape());
        int width = itemSize(h.dtype(), source);
        if (bytes.length - (long) h.dataOffset() < n * width) {
            throw new UserError(source + ": truncated .npy data: " + (bytes.length - h.dataOffset())
                    + " bytes for shape " + Arrays.toString(h.shape()) + " of " + h.dtype());
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes, h.dataOffset(), bytes.length - h.dataOffset())
                .order(h.dtype().charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        float[] data = new float[(int) n];
        char kind = h.dtype().charAt(1);
        for (int i = 0; i < n; i++) {
            data[i] = switch (kind) {
                case 'f' -> width == 4 ? buf.getFloat() : (float) buf.getDouble();
                case 'b' -> buf.get() != 0 ? 1f : 0f;
                case 'u' -> switch (width) {
                    case 1 -> buf.get() & 0xff;
                    case 2 -> buf.getShort() & 0xffff;
                    case 4 -> buf.getInt() & 0xffffffffL;
                    default -> buf.getLong();
                };
                default -> switch (width) {
                    case 1 -> buf.get();
                    case 2 -> buf.getShort();
                    case 4 -> buf.getInt();
                    default -> buf.getLong();
                };
            };
        }
        if (h.fortran() && h.shape().length > 1) {
            data = fortranToC(data, h.shape());
        }
        return new NpyArray(h.shape(), h.dtype(), data);
    }

    /** Reads only the header (shape and type) from the first bytes of a .npy file. */
    static Header header(byte[] bytes, String source) {
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new UserError(source + ": not a .npy array (the magic string \\x93NUMPY is missing)");
        }
        int major = bytes[6] & 0xff;
        int len;
        int start;
        if (major == 1) {
            len = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new UserError(source + ": truncated .npy header");
            }
            len = ByteBuffer.wrap(bytes, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            start = 12;
        } else {
            throw new UserError(source + ": unsupported .npy format version " + major);
        }
        if (len < 0 || start + len > bytes.length) {
            throw new UserError(source + ": truncated .npy header");
        }
        String dict = new String(bytes, start, len, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(dict);
        Matcher f = FORTRAN.matcher(dict);
        Matcher s = SHAPE.matcher(dict);
        if (!d.find() || !f.find() || !s.find()) {
            throw new UserError(source + ": malformed .npy header " + dict.strip());
        }
        String dtype = d.group(1);
        if (dtype.length() >= 2 && "<>|=".indexOf(dtype.charAt(0)) < 0) {
            dtype = "=" + dtype;
        }
        itemSize(dtype, source);
        String[] dims = s.group(1).split(",");
        int[] shape = Arrays.stream(dims).map(String::strip).filter(x -> !x.isEmpty()).mapToInt(x -> {
            try {
                return Integer.parseInt(x.endsWith("L") ? x.substring(0, x.length() - 1) : x);
            } catch (NumberFormatException e) {
                throw new UserError(source + ": malformed .npy shape (" + s.group(1) + ")");
            }
        }).toArray();
        return new Header(shape, dtype, f.group(1).equals("True"), start + len);
    }

    /** Bytes per element of a supported type string; a UserError for anything else. */
    static int itemSize(String dtype, String source) {
        if (dtype.length() == 3 && "<>|=".indexOf(dtype.charAt(0)) >= 0) {
            char kind = dtype.charAt(1);
            int w = dtype.charAt(2) - '0';
            boolean ok = switch (kind) {
                case 'f' -> w == 4 || w == 8;
                case 'i', 'u' -> w == 1 || w == 2 || w == 4 || w == 8;
                case 'b' -> w == 1;
                default -> false;
            };
            if (ok) {
                return w;
            }
        }
        throw new UserError(source + ": unsupported .npy dtype '" + dtype
                + "' (supported: float32/64, (u)int8/16/32/64, bool)");
    }

    static long count(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    private static float[] fortranToC(float[] f, int[] shape) {
        float[] c = new float[f.length];
        int nd = shape.length;
        int[] idx = new int[nd];
        for (int i = 0; i < f.length; i++) {
            // i walks the C order; its Fortran position is the sum of idx[a] * (product of shape[< a])
            int fpos = 0;
            int stride = 1;
            for (int a = 0; a < nd; a++) {
                fpos += idx[a] * stride;
                stride *= shape[a];
            }
            c[i] = f[fpos];
            for (int a = nd - 1; a >= 0; a--) {
                if (++idx[a] < shape[a]) {
                    break;
                }
                idx[a] = 0;
            }
        }
        return c;
    }

    /** This array as .npy version 1.0 bytes, as little-endian float32 ({@code <f4}) or uint8 ({@code |u1}). */
    public byte[] toBytes(boolean asUint8) {
        StringBuilder shp = new StringBuilder("(");
        for (int d : shape) {
            shp.append(d).append(", ");
        }
        if (shape.length > 1) {
            shp.setLength(shp.length() - 2);
        } else if (shape.length == 1) {
            shp.setLength(shp.length() - 1);
        }
        shp.append(')');
        String dict = "{'descr': '" + (asUint8 ? "|u1" : "<f4") + "', 'fortran_order': False, 'shape': " + shp + ", }";
        int pad = 64 - (10 + dict.length() + 1) % 64;
        String header = dict + " ".repeat(pad % 64) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(MAGIC);
        out.write(1);
        out.write(0);
        out.write(header.length() & 0xff);
        out.write(header.length() >> 8);
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        ByteBuffer buf = ByteBuffer.allocate(data.length * (asUint8 ? 1 : 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : data) {
            if (asUint8) {
                buf.put((byte) Math.round(v));
            } else {
                buf.putFloat(v);
            }
        }
        out.writeBytes(buf.array());
        return out.toByteArray();
    }
}
