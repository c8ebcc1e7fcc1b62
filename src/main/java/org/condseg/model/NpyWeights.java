package org.condseg.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.condseg.util.AtomicFiles;
import org.condseg.util.UserError;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Weights from a folder of NumPy files named {@code <state_dict name>.npy} (PyTorch layouts), e.g. exported with
 * {@code for k, v in sd.items(): np.save(f"{k}.npy", v.numpy())}. This is how ImageNet weights enter: a
 * torchvision ResNet state_dict ({@code conv1.weight}, {@code bn1.*}, {@code layer1.0.*}, ...) is recognised by its
 * {@code conv1.weight.npy} and renamed to ConDSeg's wrapping ({@code layer0.0.*}, {@code layer0.1.*},
 * {@code layer1.1.0.*}; layer4 is kept for the networks that build it, fc is dropped). {@code num_batches_tracked} files are ignored.
 */
public final class NpyWeights {
    private NpyWeights() {
    }

    /** Reads every .npy of a folder into a name → tensor map (torchvision ResNet names translated). */
    public static Map<String, INDArray> read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserError("weights folder " + dir + " does not exist");
        }
        boolean torchvision = Files.isRegularFile(dir.resolve("conv1.weight.npy"));
        Map<String, INDArray> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String file = f.getFileName().toString();
                if (!file.endsWith(".npy") || file.endsWith("num_batches_tracked.npy")) {
                    continue;
                }
                String name = file.substring(0, file.length() - 4);
                if (torchvision) {
                    name = fromTorchvisionResNet(name);
                    if (name == null) {
                        continue;
                    }
                }
                INDArray a;
                try {
                    a = Nd4j.createFromNpyFile(f.toFile());
                } catch (RuntimeException e) {
                    throw new UserError("cannot read " + f + " as a .npy tensor: " + e.getMessage(), e);
                }
                out.put(name, a.castTo(DataType.FLOAT));
            }
        } catch (IOException e) {
            throw new UserError("cannot list weights folder " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Loads a folder into a model. Missing or mis-shaped tensors are a UserError naming the tensor unless
     * {@code allowMissing} (then only shapes are checked: e.g. ImageNet weights cover the encoder only).
     */
    public static void load(BuiltModel model, Path dir, boolean allowMissing) {
        model.load(read(dir), allowMissing);
    }

    /** Writes tensors as {@code <name>.npy} files (PyTorch layouts, float32), one atomic write each. */
    public static void write(Map<String, INDArray> tensors, Path dir) {
        for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
            INDArray a = e.getValue().castTo(DataType.FLOAT).dup('c');
            AtomicFiles.write(dir.resolve(e.getKey() + ".npy"), out -> Nd4j.writeAsNumpy(a, out));
        }
    }

    /** torchvision ResNet name → ConDSeg name, or null for tensors no network here uses (fc). */
    public static String fromTorchvisionResNet(String name) {
        if (name.startsWith("conv1.")) {
            return "layer0.0." + name.substring(6);
        }
        if (name.startsWith("bn1.")) {
            return "layer0.1." + name.substring(4);
        }
        if (name.startsWith("layer1.")) {
            return "layer1.1." + name.substring(7);
        }
        if (name.startsWith("layer2.") || name.startsWith("layer3.") || name.startsWith("layer4.")) {
            return name;
        }
        return null;
    }
}
