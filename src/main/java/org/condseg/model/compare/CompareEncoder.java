package org.condseg.model.compare;

import org.condseg.model.ModelConfig;
import org.condseg.model.encoder.Encoder;
import org.condseg.model.encoder.EncoderRegistry;
import org.condseg.model.encoder.ResNet;
import org.condseg.util.UserError;

/** The ResNet encoder a comparison network needs (these networks use the stride-32 layer4 stage). */
final class CompareEncoder {
    private CompareEncoder() {
    }

    /** {@code model.encoder} as a ResNet; any other encoder is a UserError naming the network. */
    static ResNet resnet(ModelConfig cfg, String network) {
        Encoder e = EncoderRegistry.get(cfg.encoder);
        if (!(e instanceof ResNet r)) {
            throw new UserError("model.name " + network + " needs a ResNet model.encoder (resnet18/34/50), got '"
                    + cfg.encoder + "'");
        }
        return r;
    }
}
