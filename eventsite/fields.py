"""Form fields shared by several forms."""

from wtforms import SelectField
from wtforms.validators import ValidationError


class ChoiceField(SelectField):
    """A select whose wrong or tampered values get a plain message of our own."""

    def __init__(self, *args, invalid_message: str = "Choose an option from the list.", **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None  # reported by pre_validate, next to the field

    def pre_validate(self, form):
        if self.data not in {choice.value for choice in self.choices}:
            raise ValidationError(self.invalid_message)
