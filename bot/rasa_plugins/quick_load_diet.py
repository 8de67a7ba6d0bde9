"""Rasa's DIETClassifier, loaded without building its training graph.

Rasa 3.6 loads a DIET model by compiling it and running `fit` on one example, only so
that Keras creates the variables, and then overwrites them from the saved weights.
Tracing that training step (gradients, optimiser) was about 19 s of our 33 s start-up on
a 2-core machine, paid by every `serve`, every restart after a crash and every replica.

Only prediction needs variables, so they are created by one eager prediction instead
(no tracing), the saved weights are then read into them, and the prediction graph is
traced once with the real weights, as stock Rasa does after loading. Training and
`--finetune` are Rasa's own code, untouched; a test checks that a model loaded this way
ranks every NLU example exactly as stock Rasa's loader does.
"""
from __future__ import annotations

from typing import Any, Optional, Text

import tensorflow as tf
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.diet_classifier import DIET, DIETClassifier
from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
from rasa.utils.tensorflow.model_data import RasaModelData


class QuickLoadDIET(DIET):
    @classmethod
    def load(
        cls,
        model_file_name: Text,
        model_data_example: RasaModelData,
        predict_data_example: Optional[RasaModelData] = None,
        finetune_mode: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> "QuickLoadDIET":
        if finetune_mode or predict_data_example is None:
            # Further training needs the optimiser's state: Rasa's own way.
            return super().load(model_file_name, model_data_example, predict_data_example,
                                finetune_mode, *args, **kwargs)
        model = cls(*args, **kwargs)
        config = kwargs.get("config", {})
        # Compiling traces nothing; it sets the optimiser and `run_eagerly` as stock does.
        model.compile(optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)),
                      run_eagerly=config.get(RUN_EAGERLY))
        traced = model._run_eagerly
        model._run_eagerly = True
        model.run_inference(predict_data_example)
        # The checkpoint also holds the optimiser's slots and training-only metrics,
        # which prediction never creates.
        model.load_weights(model_file_name).expect_partial()
        # The eager prediction cached the label embeddings of the random weights.
        model.prepared_for_prediction = False
        model._run_eagerly = traced
        model.run_inference(predict_data_example)
        return model


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER,
     DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=True,
)
class QuickLoadDIETClassifier(DIETClassifier):
    @staticmethod
    def model_class() -> type[DIET]:
        return QuickLoadDIET
